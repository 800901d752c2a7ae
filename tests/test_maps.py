"""The country maps (escp_portal.maps): shapes from the vendored data, counts to shades, what is
left out, escaping, and nothing that the Content-Security-Policy would block."""

import re

import pytest
from django.utils import translation

from escp_portal import maps

# The EU, the EEA and the other countries whose clusters take part in the programmes.
EUROPE = re.findall(
    r"[A-Z]{2}",
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
    " IS LI NO CH GB TR UA RS BA ME MK AL MD GE AM",
)


def one(view, counts, **kwargs):
    kwargs.setdefault("key", "m")
    kwargs.setdefault("title", "Test map")
    return maps.country_map(view, [("Clusters", counts)], **kwargs)


def shape(svg: str, country_name: str) -> str:
    """The <path> or <circle> whose tooltip starts with the country's name."""
    found = re.findall(rf'<(?:path|circle) class="([^"]*)"[^>]*><title>{country_name}\b', svg)
    assert found, country_name
    return found[0]


def test_the_vendored_shapes_cover_europe_and_the_world():
    data = maps.shapes()
    for code in EUROPE:
        assert code in data["europe"]["paths"] or code in data["europe"]["points"], code
    for code in ["US", "CN", "JP", "BR", "IN", "ZA", "AU", "CA", "SG", "HK", "MT"]:
        assert code in data["world"]["paths"] or code in data["world"]["points"], code
    assert "US" not in data["europe"]["paths"]  # the Europe view is cut to Europe
    assert "AQ" not in data["world"]["paths"]
    for view in data.values():
        for code in view["paths"]:
            assert re.fullmatch(r"[A-Z]{2}|_.+", code)
        for path in view["paths"].values():
            assert re.fullmatch(r"(M[-\d ]+l[-\d ]+z)+", path), path[:80]


def test_a_known_country_gets_its_shape_with_its_figure():
    result = one("europe", {"FR": 2})
    svg = str(result.svg)
    france = maps.shapes()["europe"]["paths"]["FR"]
    assert f'<path class="map-c4" d="{france}"><title>France: 2</title></path>' in svg
    assert shape(svg, "Germany") == "map-c0"  # no figure: drawn, named, not shaded
    assert [(row.code, row.name, row.values, row.drawn) for row in result.rows] == [
        ("FR", "France", (2,), True)
    ]
    assert result.svg.startswith('<svg class="country-map country-map-europe" viewBox="0 0 800 ')


def test_small_countries_get_a_marker():
    svg = str(one("world", {"MT": 3, "SG": 1}).svg)
    assert re.search(
        r'<circle class="map-marker map-c\d" cx="[\d.]+" cy="[\d.]+" r="4">'
        r"<title>Malta: 3</title></circle>",
        svg,
    )
    assert "<title>Singapore: 1</title></circle>" in svg
    assert "<circle" not in str(one("world", {"FR": 3}).svg)  # markers only where there are data


@pytest.mark.parametrize(
    ("highest", "ranges"),
    [
        (0, []),
        (1, [(1, 1)]),
        (3, [(1, 1), (2, 2), (3, 3)]),
        (4, [(1, 1), (2, 2), (3, 3), (4, 4)]),
        (5, [(1, 1), (2, 2), (3, 3), (4, 5)]),
        (40, [(1, 2), (3, 6), (7, 15), (16, 40)]),
        (1000, [(1, 5), (6, 31), (32, 177), (178, 1000)]),
    ],
)
def test_counts_fall_into_a_few_classes(highest, ranges):
    assert maps.shade_classes(highest) == ranges
    covered = [n for low, high in ranges for n in range(low, high + 1)]
    assert covered == list(range(1, highest + 1))  # every figure in exactly one class


def test_counts_map_to_shades_the_legend_explains():
    result = one("europe", {"FR": 1, "DE": 10, "IT": 40, "ES": 5})
    svg = str(result.svg)
    assert [shape(svg, name) for name in ("France", "Spain", "Germany", "Italy")] == [
        "map-c1",
        "map-c2",
        "map-c3",
        "map-c4",
    ]
    assert result.legend == ((1, "1\u20132"), (2, "3\u20136"), (3, "7\u201315"), (4, "16\u201340"))
    assert [row.code for row in result.rows] == ["IT", "DE", "ES", "FR"]  # largest first
    # Fewer figures than shades: the darker shades, so that one country still stands out.
    few = one("europe", {"FR": 1, "DE": 2})
    assert [shape(str(few.svg), n) for n in ("France", "Germany")] == ["map-c3", "map-c4"]
    assert few.legend == ((3, "1"), (4, "2"))


def test_unknown_codes_and_odd_figures_are_skipped_safely():
    counts = {"ZZ": 3, "": 1, None: 2, "<script>": 4, "XK": 2, "FR": "x", "DE": 0, "it": 2}
    result = one("europe", counts)
    assert [(row.code, row.values) for row in result.rows] == [("IT", (2,))]
    assert "ZZ" not in result.svg and "script" not in result.svg
    assert result.legend == ((3, "1"), (4, "2"))  # the scale of what is left
    empty = one("world", {})
    assert empty.rows == () and empty.legend == () and "map-c1" not in empty.svg


def test_a_country_the_view_cannot_draw_stays_in_the_table():
    result = one("europe", {"US": 5, "TV": 1, "DE": 1})
    assert {row.code: row.drawn for row in result.rows} == {"US": False, "TV": False, "DE": True}
    assert [row.name for row in result.not_drawn] == ["United States of America", "Tuvalu"]
    assert "United States" not in result.svg


def test_several_series_add_up_and_each_is_in_the_tooltip_and_the_table():
    result = maps.country_map(
        "world",
        [("Target market", {"JP": 1, "US": 1}), ("Missions", {"JP": 2}), ("Outcomes", {"US": 1})],
        key="w",
        title="Activity",
    )
    assert result.columns == ("Target market", "Missions", "Outcomes")
    assert [(row.code, row.values, row.total) for row in result.rows] == [
        ("JP", (1, 2, 0), 3),
        ("US", (1, 0, 1), 2),
    ]
    assert "<title>Japan: Target market: 1; Missions: 2</title>" in result.svg
    assert result.legend_title == "Figures added up"


def test_the_output_escapes_names_and_titles():
    result = one("world", {"CI": 2}, title='Clusters <script>alert("x")</script> & co')
    svg = str(result.svg)
    assert "<script>" not in svg
    assert "Clusters &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    assert "<title>Côte d&#x27;Ivoire: 2</title>" in svg  # a name with a quote


def test_names_follow_the_active_language():
    with translation.override("fr"):
        result = one("europe", {"DE": 1})
    assert result.rows[0].name == "Allemagne"
    assert re.search(r"<title>Allemagne\s?: 1</title>", str(result.svg))


@pytest.mark.parametrize("view", maps.VIEWS)
def test_no_outside_address_script_or_inline_style_in_the_svg(view):
    svg = str(one(view, {"FR": 3, "MT": 1, "US": 2, "JP": 1}).svg)
    assert not re.search(r"https?:|//|url\(|href|xlink|<script|<style|\sstyle=|\son\w+=", svg)
    assert 'role="img"' in svg and 'aria-labelledby="m-title m-desc"' in svg
    assert '<title id="m-title">Test map</title>' in svg


def test_an_unknown_view_is_refused():
    with pytest.raises(ValueError, match="unknown map view"):
        one("mars", {"FR": 1})


# --- helpers for the pages' tests ---------------------------------------------------------------


def map_table(html: str, caption: str) -> tuple[list[str], dict[str, tuple[int, ...]]]:
    """The table after a map on a page: its column headings and {country name: figures}."""
    start = html.index(f"<caption>{caption}</caption>")
    table = html[start : html.index("</table>", start)]
    columns = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    rows = {
        name: tuple(int(n) for n in re.findall(r'<td class="text-end">(\d+)</td>', cells))
        for name, cells in re.findall(r'<th scope="row"[^>]*>([^<]*)</th>(.*?)</tr>', table)
    }
    return columns, rows


def page_maps(html: str) -> list[str]:
    """Every map's SVG on a page, each checked: an image with a name, nothing from outside, and
    a table alternative right after it."""
    found = re.findall(r"<svg class=\"country-map.*?</svg>", html, flags=re.S)
    for svg in found:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
        assert not re.search(r"https?:|//|url\(|href|<script|\sstyle=", svg)
        after = html[html.index(svg) + len(svg) :]
        table, following = after.index('<details class="map-table'), after.find("<svg")
        assert following == -1 or table < following  # each map's own table, right after it
        assert "<table" in after[table:].split("</details>")[0]
    return found
