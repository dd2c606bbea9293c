"""Pages-side helpers (may import streamlit); core/ never imports this."""
