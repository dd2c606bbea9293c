"""
The benchmark suite behind ``make bench`` (issue 16): where the time goes.

Every figure is printed beside a bare baseline measured in the same run
(``import pandas``, ``pandas.read_csv`` of the same file, ``numpy.loadtxt``,
a matrix product over the same array), so a slow or loaded machine shows in
both columns. Entry point: ``benchmarks/run_all.py``.
"""
