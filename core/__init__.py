"""PeLED Bench core: every calculation, no Streamlit."""

import warnings as _warnings

__version__ = "0.1.0"

# colour-science warns at import that matplotlib is absent; this project draws
# with Altair, so the warning would only clutter the CLI's stderr.
with _warnings.catch_warnings():
    _warnings.simplefilter("ignore")
    import colour as _colour  # noqa: F401
