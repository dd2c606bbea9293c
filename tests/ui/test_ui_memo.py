"""ui.memo: charts and tables kept on a fingerprint, sent as Streamlit would."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from ui import memo


def line_chart(values, title="peak"):
    frame = pd.DataFrame(
        {"axis": np.arange(len(values)), "peak_nm": values, "device": "A"}
    )
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(x="axis:Q", y="peak_nm:Q", color="device:N")
    )


def test_store_builds_once_per_key_and_drops_the_oldest_past_its_bytes():
    store = memo.Store(max_bytes=3000)
    calls = []

    def build(n):
        calls.append(n)
        return bytes(1000)

    for _ in range(3):
        assert store.get("a", lambda: build("a")) == bytes(1000)
    assert calls == ["a"] and store.builds == 1
    store.get("b", lambda: build("b"))
    store.get("c", lambda: build("c"))  # 3000 bytes: all kept
    store.get("a", lambda: build("a"))  # a is now the newest
    store.get("d", lambda: build("d"))  # 4000 bytes: b (oldest) leaves
    assert calls == ["a", "b", "c", "d"]
    store.get("b", lambda: build("b"))
    assert calls[-1] == "b" and len(store) == 3 and store.bytes == 3000
    store.clear()
    assert len(store) == 0 and store.bytes == 0


def test_fingerprint_follows_data_and_encoding_not_the_object():
    values = np.linspace(620.0, 621.0, 4000)
    first = memo.chart_fingerprint(line_chart(values))
    assert memo.chart_fingerprint(line_chart(values.copy())) == first
    changed = values.copy()
    changed[2345] += 1e-9
    assert memo.chart_fingerprint(line_chart(changed)) != first
    assert memo.chart_fingerprint(line_chart(values, title="FWHM")) != first
    other = line_chart(values).encode(color=alt.value("red"))
    assert memo.chart_fingerprint(other) != first


def test_frame_digest_follows_values_names_and_index():
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    digest = memo.frame_digest(frame)
    assert memo.frame_digest(frame.copy()) == digest
    assert memo.frame_digest(frame.rename(columns={"a": "c"})) != digest
    assert memo.frame_digest(frame.assign(a=[1.0, 2.5])) != digest
    assert memo.frame_digest(frame.set_index("b")) != digest


def test_by_identity_remembers_per_object_and_bytes_digest_is_blake2():
    import hashlib

    data = bytes(range(256)) * 10
    calls = []
    for _ in range(3):
        memo.by_identity(data, "n", lambda: calls.append(1) or len(calls))
    assert calls == [1]
    copy = bytes(bytearray(data))
    assert copy is not data
    assert memo.by_identity(copy, "n", lambda: "built") == "built"
    expected = hashlib.blake2b(data, digest_size=20).hexdigest()
    assert memo.bytes_digest(data) == memo.bytes_digest(copy) == expected
    memo.clear()
    assert memo.by_identity(data, "n", lambda: "again") == "again"


def test_upload_bytes_is_one_object_per_upload():
    class Upload:
        def __init__(self, file_id, content):
            self.file_id, self.name, self.content = file_id, "s.csv", content

        def getvalue(self):
            return bytes(bytearray(self.content))  # a copy, as AppTest gives

    first = memo.upload_bytes(Upload("id-1", b"1,2\n3,4\n"))
    again = memo.upload_bytes(Upload("id-1", b"1,2\n3,4\n"))
    other = memo.upload_bytes(Upload("id-2", b"1,2\n3,4\n"))
    assert again is first and other is not first and other == first
    memo.clear()


def _two_ways():
    """Each chart through st.altair_chart(screen_chart) and through show_chart."""
    import altair as alt
    import numpy as np
    import pandas as pd
    import streamlit as st

    from core.figures.controls import FigureControls, screen_chart
    from ui.export import screen_vega_lite

    frame = pd.DataFrame(
        {
            "axis": np.arange(300) / 10,
            "peak_nm": 620 + np.sin(np.arange(300) / 9),
            "device": np.where(np.arange(300) < 150, "A (synthetic)", "B"),
        }
    )
    base = alt.Chart(frame).encode(x="axis:Q", y="peak_nm:Q", color="device:N")
    charts = [base.mark_line(), base.mark_point() + base.mark_line()]
    controls = FigureControls(line_width=2.0, colors={"B": "#112233"})
    for chart in charts:
        st.altair_chart(screen_chart(chart, controls), width="stretch")
        st.vega_lite_chart(screen_vega_lite(chart, controls), width="stretch")


def test_screen_vega_lite_sends_what_altair_chart_sends():
    app = AppTest.from_function(_two_ways).run()
    assert not app.exception
    charts = app.get("vega_lite_chart")
    assert len(charts) == 4
    for old, new in zip(charts[::2], charts[1::2], strict=True):
        assert json.loads(new.proto.spec) == json.loads(old.proto.spec)
        assert [(d.name, d.data.data) for d in new.proto.datasets] == [
            (d.name, d.data.data) for d in old.proto.datasets
        ]
        assert new.proto.datasets  # the data went as Arrow


def _page_with_chart_and_table():
    import altair as alt
    import numpy as np
    import pandas as pd
    import streamlit as st

    from ui.export import preset_selector, show_chart
    from ui.tables import show_table

    preset_selector("memo_preset")
    st.checkbox("unrelated", key="memo_unrelated")
    frame = pd.DataFrame({"axis": np.arange(50.0), "peak_nm": 620 + np.arange(50.0)})
    chart = alt.Chart(frame).mark_line().encode(x="axis:Q", y="peak_nm:Q")
    show_chart(chart, "peak", "memo_dl_peak", frame)
    show_table(frame, "memo_table", "metrics")


def test_a_rerun_that_changes_no_chart_builds_nothing_again():
    memo.clear()
    app = AppTest.from_function(_page_with_chart_and_table).run()
    assert not app.exception
    built, first_spec = memo.STORE.builds, app.get("vega_lite_chart")[0].proto.spec
    assert built >= 3  # legend/axes facts, screen spec, shown table
    app.checkbox(key="memo_unrelated").check().run()
    assert not app.exception
    assert memo.STORE.builds == built
    assert app.get("vega_lite_chart")[0].proto.spec == first_spec
    assert len(app.dataframe) == 1
    memo.clear()


def _large_two_ways():
    """A chart of a large frame (kept as a frame by ui.memo.base_spec) both ways."""
    import altair as alt
    import numpy as np
    import pandas as pd
    import streamlit as st

    from core.figures.controls import FigureControls, screen_chart
    from ui import memo
    from ui.export import screen_vega_lite

    n = memo.LARGE_ROWS + 500
    frame = pd.DataFrame(
        {
            "axis": np.arange(n) / 10,
            "peak_nm": 620 + np.sin(np.arange(n) / 9),
            "device": np.where(np.arange(n) < n // 2, "A (synthetic)", "B"),
        }
    )
    chart = (
        alt.Chart(frame).mark_line().encode(x="axis:Q", y="peak_nm:Q", color="device:N")
    )
    controls = FigureControls(colors={"B": "#112233"})
    with alt.data_transformers.disable_max_rows():
        st.altair_chart(screen_chart(chart, controls), width="stretch")
    fingerprint = memo.chart_fingerprint(chart)
    st.vega_lite_chart(screen_vega_lite(chart, controls, fingerprint), width="stretch")


def test_a_large_frame_goes_whole_and_draws_the_same_rows():
    import io

    import pandas as pd
    import pyarrow as pa

    app = AppTest.from_function(_large_two_ways).run()
    assert not app.exception
    old, new = app.get("vega_lite_chart")
    (old_data,), (new_data,) = old.proto.datasets, new.proto.datasets
    assert new_data.name.startswith("frame-")  # not Altair's MD5 of every row
    tables = [pa.ipc.open_stream(io.BytesIO(d.data.data)).read_pandas()
              for d in (old_data, new_data)]  # fmt: skip
    pd.testing.assert_frame_equal(*(t.reset_index(drop=True) for t in tables),
                                  check_dtype=False)  # fmt: skip
    old_spec, new_spec = json.loads(old.proto.spec), json.loads(new.proto.spec)
    old_spec["data"]["name"] = new_spec["data"]["name"]
    assert new_spec == old_spec  # legend entries and colours found in the frame
