"""PeLED Bench core: every calculation, no Streamlit."""

__version__ = "0.1.0"
