"""
Kept only so that ``from tests.test_figures import base_fonts, pdf_text``
(tests/test_report.py) still imports: the figure tests moved to
tests/core/figures/ and these readers to tests/figure_readers.py. Delete this
file once tests/test_report.py imports from ``figure_readers``.
"""

from figure_readers import base_fonts, pdf_text

__all__ = ["base_fonts", "pdf_text"]
