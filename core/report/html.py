"""
The report as one self-contained HTML page.

Figures are inline SVG (their ids made unique), styles are inline; there is
no script and no reference to the network except DOI links in the text.
"""

from __future__ import annotations

import html
import re

from core.figures.export import svg_size_pt
from core.figures.theme import PRESETS
from core.report.sections import render_report
from core.report.settings import Report, ReportSection, ReportTable
from core.report.table import column_label, format_cell, table_cells

__all__ = ["report_html", "settings_rows", "METHODS_REFERENCE"]

#: The reference for the methods, as the reports cite it.
METHODS_REFERENCE = (
    "M. Anaya et al., Nat. Photonics 13, 818 (2019)",
    "10.1038/s41566-019-0543-y",
)


def _html_table(table: ReportTable) -> str:
    frame = table.frame
    head = "".join(
        f'<th title="{html.escape(str(c))}">{html.escape(column_label(c))}</th>'
        for c in frame.columns
    )
    body = []
    for row in table_cells(frame):
        cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
        body.append(f"<tr>{cells}</tr>")
    caption = (
        f'<p class="caption">{html.escape(table.caption)}</p>' if table.caption else ""
    )
    return (
        f'<div class="table" id="table-{table.key}"><h3>{html.escape(table.title)}'
        f' <span class="file">tables/{table.key}.csv</span></h3>{caption}'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        "</table></div>"
    )


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix an inline SVG's ids so that several can share one document."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for name in sorted(ids, key=len, reverse=True):
        svg = re.sub(rf'\bid="{re.escape(name)}"', f'id="{prefix}{name}"', svg)
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}{name}"')
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg)


def _screen_size(svg: str, zoom: float = 2.0) -> str:
    """Show an inline SVG ``zoom`` × its size in pt (its viewBox keeps the layout)."""
    if not svg:
        return ""
    width, height = svg_size_pt(svg)
    return re.sub(
        r'(<svg\b[^>]*?)\swidth="[\d.]+"([^>]*?)\sheight="[\d.]+"',
        rf'\1 width="{width * zoom:.1f}"\2 height="{height * zoom:.1f}"',
        svg,
        count=1,
    )


_CSS = """
body{font-family:"Liberation Sans",Arial,Helvetica,sans-serif;margin:2em auto;
max-width:60em;color:#111;line-height:1.4;padding:0 1em}
h1{font-size:1.6em;margin-bottom:0.2em}h2{border-bottom:1px solid #999;
margin-top:2em}h3{font-size:1em;margin:1.2em 0 0.3em}
table{border-collapse:collapse;font-size:0.85em;margin:0.3em 0 1em}
th,td{border:1px solid #ccc;padding:0.15em 0.5em;text-align:right}
th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}
.figures{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
.figure{margin:0.5em 0 1em;max-width:100%}.figure svg{max-width:100%;height:auto}
.table{overflow-x:auto}
.caption{font-size:0.85em;color:#333;margin:0.2em 0}
.file{font-weight:normal;color:#666;font-size:0.85em}
.missing{background:#fff6e0;border-left:4px solid #E69F00;padding:0.4em 0.8em}
.error{background:#fde8e8;border-left:4px solid #D55E00;padding:0.4em 0.8em}
.synthetic{background:#eef5fb;border-left:4px solid #0072B2;padding:0.4em 0.8em}
.notes{font-size:0.85em;color:#444}code{font-size:0.9em}
"""


def settings_rows(report: Report) -> list[tuple[str, str]]:
    preset = PRESETS[report.settings.preset]
    rows = [
        ("app version", f"PeLED Bench {report.version}"),
        ("created (UTC)", report.created_utc),
        ("figure size", f"{preset.label}: {preset.width_cm} × {preset.height_cm} cm"),
    ]
    rows += [(k, format_cell(v)) for k, v in report.settings.to_dict().items()]
    return rows


def _html_head(report: Report) -> list[str]:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
        f'<p class="notes">Devices: {esc(", ".join(report.device_names))}. '
        f"Created {esc(report.created_utc)} with PeLED Bench {esc(report.version)}"
        ".</p>",
    ]
    if report.synthetic:
        parts.append(
            '<p class="synthetic">Contains <b>synthetic demo data</b> '
            f"({esc(', '.join(report.synthetic))}): not measurements.</p>"
        )
    parts.append("<h2>Contents</h2><ol>")
    for section in report.sections:
        state = "" if section.status == "ok" else f" ({section.status})"
        parts.append(
            f'<li><a href="#section-{section.key}">{esc(section.title)}</a>'
            f"{esc(state)}</li>"
        )
    parts.append('<li><a href="#section-provenance">Provenance</a></li></ol>')
    return parts


def _html_section(number: int, section: ReportSection) -> list[str]:
    esc = html.escape
    parts = [f'<h2 id="section-{section.key}">{number}. {esc(section.title)}</h2>']
    if section.status != "ok":
        parts.append(f'<p class="{section.status}">{esc(section.message)}</p>')
    for table in section.tables:
        parts.append(_html_table(table))
    if section.figures:
        parts.append('<div class="figures">')
    for index, figure in enumerate(section.figures):
        svg = _unique_ids(figure.svg, f"f{number}x{index}-") if figure.svg else ""
        parts.append(
            f'<div class="figure" id="figure-{figure.key}"><h3>'
            f'{esc(figure.title)} <span class="file">figures/{figure.key}.svg'
            f"</span></h3>{_screen_size(svg)}</div>"
        )
    if section.figures:
        parts.append("</div>")
    if section.notes:
        items = "".join(f"<li>{esc(note)}</li>" for note in section.notes)
        parts.append(f'<ul class="notes">{items}</ul>')
    return parts


def _html_provenance(report: Report) -> list[str]:
    esc = html.escape
    number = len(report.sections) + 1
    rows = "".join(
        f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in settings_rows(report)
    )
    parts = [
        f'<h2 id="section-provenance">{number}. Provenance</h2>',
        f"<h3>Settings</h3><table><tbody>{rows}</tbody></table>",
    ]
    if report.inputs:
        head = "<tr><th>device</th><th>input</th><th>read as</th><th>kind</th>"
        head += "<th>bytes</th><th>SHA-256</th></tr>"
        rows = "".join(
            f"<tr><td>{esc(str(i.get('device', '')))}</td>"
            f"<td>{esc(str(i['name']))}</td>"
            f"<td>{esc(str(i.get('role', '')))}</td><td>{esc(str(i.get('kind', '')))}"
            f"</td><td>{i.get('size_bytes', '')}</td><td><code>{esc(i['sha256'])}"
            "</code></td></tr>"
            for i in report.inputs
        )
        parts.append(
            f"<h3>Inputs</h3><table><thead>{head}</thead><tbody>{rows}</tbody></table>"
        )
    citation, doi = METHODS_REFERENCE
    parts.append(
        '<p class="notes">Every figure has a sidecar '
        "<code>figures/&lt;name&gt;.provenance.json</code> with these inputs, the "
        "settings, the app and engine versions and the checksums of the spec and "
        f"files. Methods: {esc(citation)}, "
        f'<a href="https://doi.org/{doi}">doi:{doi}</a>.</p>'
    )
    return parts


def report_html(report: Report) -> str:
    """
    The report as one self-contained HTML page.

    Figures are inline SVG (ids made unique), styles inline; there is no
    script and no reference to the network except DOI links in the text.
    """
    report = render_report(report)
    parts = _html_head(report)
    for number, section in enumerate(report.sections, start=1):
        parts += _html_section(number, section)
    parts += _html_provenance(report)
    parts.append("</body></html>")
    return "\n".join(parts)
