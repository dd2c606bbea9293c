"""ui.figure_controls: the controls exist only while shown, and stay applied."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _chart_with_controls():
    import altair as alt
    import pandas as pd
    import streamlit as st

    from ui.figure_controls import figure_controls

    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [3.0, 1.0, 2.0]})
    chart = alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q")
    controls = figure_controls(chart, "fc_test")
    st.write(f"line width {controls.line_width:g}")


def test_controls_are_widgets_only_while_shown_and_stay_applied():
    app = AppTest.from_function(_chart_with_controls).run()
    assert not app.exception
    hidden = len(app.slider) + len(app.selectbox) + len(app.number_input)
    assert hidden == 0 and app.markdown[-1].value == "line width 1"
    toggle = app.toggle[0]
    assert toggle.label == "Figure controls"
    toggle.set_value(True).run()
    assert len(app.slider) == 2 and len(app.number_input) == 4  # x/y from/to
    app.slider[0].set_value(2.5).run()  # line width
    assert app.markdown[-1].value == "line width 2.5"
    app.toggle[0].set_value(False).run()
    assert len(app.slider) == 0
    assert app.markdown[-1].value == "line width 2.5"  # still applied
    app.toggle[0].set_value(True).run()
    assert app.slider[0].value == 2.5  # found again
