"""The console without a mouse and on a laptop, in a real browser: from the dashboard the
keyboard alone (Tab, Enter) reaches a heat-map cell and a chart's data links, each opening
the ledger filtered as the chart's click does, with focus visible on every stop; every field
on every page has a label and every button a name; every page fits a 1366×768 screen (no
horizontal scrolling, the navigation and the heading in view), each kept as a screenshot."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from tests.services.ingest_support import drain
from tests.web.conftest import VIEWPORT, Console, samples, shot
from tests.web.test_console import PERIOD, ROLES, api_token, log_in
from tests.web.test_dashboard_filters import hash_params

# The longest names the platform takes, without a break: a call id of 128 characters, an
# agent id and a team of 64 (hegui.services.conversations.intake.LIMITS).
LONG = {
    "id": "SHCC" + "20261101" * 15 + "0001",
    "agent": {"id": "A" + "7" * 63, "team": "SHANGHAICREDITCARDCENTRE" + "NIGHTSHIFT" * 4},
}


@pytest.fixture(scope="module", autouse=True)
def long_names(console: Console) -> dict[str, Any]:
    """A call with the longest names, inspected: its cases in the ledger, its team on the
    dashboard; every page of this module is checked with it there."""
    call = {**samples()[0], **LONG}
    assert (len(call["id"]), len(call["agent"]["id"]), len(call["agent"]["team"])) == (128, 64, 64)
    with console.platform.db.transaction() as session:
        console.platform.conversations.submit(session, [call], actor="seed")
    drain(console.platform)
    return call


# Where the focus is, and whether it can be seen: an outline or a box shadow drawn.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), cls: el.className, text: (el.textContent || "").trim().slice(0, 60),
    cell: el.dataset.cell ?? null, key: el.dataset.key ?? null, href: el.getAttribute("href"),
    label: el.getAttribute("aria-label"),
    ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none",
    shown: box.width > 0 && box.height > 0,
  };
}"""


def tab_to(page: Any, selector: str, limit: int = 150) -> list[dict[str, Any]]:
    """Press Tab until the focus is on `selector`; every stop on the way, each with its ring."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"Tab never reached {selector}: {[s['text'] for s in stops]}")


def assert_focus_visible(stops: list[dict[str, Any]]) -> None:
    unseen = [s for s in stops if not (s["ring"] and s["shown"])]
    assert not unseen, f"focus not visible on: {unseen}"


def dashboard(page: Any, console: Console) -> None:
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector("main[data-page='dashboard'] .heatmap table")
    page.wait_for_selector(".chart svg")


def ledger_total(page: Any) -> int:
    page.wait_for_selector("main[data-page='ledger'] table")
    return int(page.locator("[data-total]").get_attribute("data-total"))


def test_the_skip_link_comes_first_and_focuses_the_content(page: Any, console: Console) -> None:
    log_in(page, console, "reviewer")
    dashboard(page, console)
    page.reload()  # a fresh load: the focus starts at the top of the document
    page.wait_for_selector("main[data-page='dashboard'] .heatmap table")
    before = page.url
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["cls"] == "skip" and first["text"] == "跳到正文 Skip to content"
    assert first["ring"] and first["shown"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url == before  # the route stays: #main is not a page
    page.keyboard.press("Tab")  # the next stop is in the content, past the navigation
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_the_keyboard_reaches_a_heat_map_cell_and_chart_data_links(
    page: Any, console: Console
) -> None:
    log_in(page, console, "compliance_manager")
    dashboard(page, console)
    cells = json.loads(page.locator(".heatmap").get_attribute("data-cells"))
    team, category, findings = next(c for c in cells if c[0] == "east-1")

    # The heat map is a table: each category a row header, each team a column header.
    heat = page.locator(".heatmap table")
    assert heat.locator("th[scope='col']").all_inner_texts()[1:] == [
        c or "— (无团队)" for c in dict.fromkeys(c[0] for c in cells)
    ]
    assert heat.locator("th[scope='row']").count() == len({c[1] for c in cells})
    linked = heat.locator("a[data-cell]")
    assert linked.count() == sum(1 for c in cells if c[0] is not None)  # no team: no link

    page.reload()
    page.wait_for_selector("main[data-page='dashboard'] .heatmap table")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # 跳到正文
    stops = tab_to(page, f"a[data-cell='{team}|{category}']")
    assert_focus_visible(stops)
    cell = stops[-1]
    assert cell["text"] == str(findings) and cell["label"].startswith(f"{team} · ")
    assert f"违规数 {findings}" in cell["label"]
    shot(page, "a11y-heatmap-focus", full_page=False)
    page.keyboard.press("Enter")
    total = ledger_total(page)
    params = hash_params(page)
    assert params["team"] == team and params["category"] == category
    assert total >= findings > 0  # the ledger also lists dismissed cases, which scores skip
    assert set(page.locator("tbody tr td:nth-child(7)").all_inner_texts()) == {team}

    # A chart: one image named by its numbers, its 数据表 opened and followed by keyboard.
    dashboard(page, console)
    values = json.loads(page.locator("[data-chart='category']").get_attribute("data-values"))
    chart = page.locator("[data-chart='category']")
    assert chart.get_attribute("role") == "img"
    name = chart.get_attribute("aria-label")
    assert name.startswith("类别分布：") and all(f" {n}" in name for n in values.values())
    page.locator("#main").focus()
    stops = tab_to(page, "details[data-for='category'] summary")
    assert_focus_visible(stops)
    assert not page.locator("details[data-for='category'] table").is_visible()
    page.keyboard.press("Enter")
    assert page.locator("details[data-for='category'] table").is_visible()
    stops = tab_to(page, "details[data-for='category'] a", limit=2)
    link = stops[-1]
    assert link["ring"] and link["key"] == next(iter(values))
    page.keyboard.press("Enter")
    total = ledger_total(page)
    assert hash_params(page)["category"] == link["key"]
    assert total == values[link["key"]]  # the chart's number, the ledger's cases

    # The day chart's rows narrow the period to their day.
    dashboard(page, console)
    days = json.loads(page.locator("[data-chart='day']").get_attribute("data-values"))
    page.locator("#main").focus()
    tab_to(page, "details[data-for='day'] summary")
    page.keyboard.press("Enter")
    day = tab_to(page, "details[data-for='day'] a", limit=2)[-1]["key"]
    shot(page, "a11y-chart-table-focus", full_page=False)
    page.keyboard.press("Enter")
    total = ledger_total(page)
    params = hash_params(page)
    following = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    assert (params["since"], params["until"]) == (day, following)
    assert total == days[day]


# Every field with a label (aria-labelledby, aria-label, a <label>, title: not a placeholder),
# every button, link, image and region with a name, every column header with words; each
# label's own text, without the field's; no id twice.
UNNAMED = """() => {
  const text = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("input, select, textarea").forEach((x) => x.remove());
    return copy.textContent.trim();
  };
  const named = (el) => {
    const by = el.getAttribute("aria-labelledby");
    if (by) return by.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join("").trim();
    return (el.getAttribute("aria-label") ?? "").trim()
      || (el.labels ? [...el.labels].map(text).join("") : "")
      || (el.getAttribute("title") ?? "").trim();
  };
  const describe = (el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`;
  const missing = [];
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
    if (!named(el)) missing.push(`field ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("button, [role=button], summary")) {
    if (!named(el) && !el.textContent.trim()) missing.push(`button ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("a[href]")) {
    if (!el.hidden && !named(el) && !el.textContent.trim()) missing.push(`link ${describe(el)}`);
  }
  for (const el of document.querySelectorAll("th")) {
    if (!el.textContent.trim()) missing.push(`header ${describe(el)} of ${el.closest("section, main")?.querySelector("h1, h2")?.textContent}`);
  }
  for (const el of document.querySelectorAll("[role=img], [role=region]")) {
    if (!named(el)) missing.push(`${el.getAttribute("role")} ${describe(el)}`);
  }
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) missing.push(`duplicate id ${id}`);
  return missing;
}"""

# What a 1366×768 screen shows of the page as it opens.
FITS = """() => {
  const root = document.scrollingElement;
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {
    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, scrollY: window.scrollY,
    width: window.innerWidth, height: window.innerHeight,
    nav: [...document.querySelectorAll("#nav a, #lang, #logout")].map((el) => [el.textContent, box(el)]),
    heading: [...document.querySelectorAll("main h1")].map((el) => [el.textContent, box(el)]),
  };
}"""


def in_view(box: list[float]) -> bool:
    """Whether a box [left, top, right, bottom] lies on the screen as the page opens."""
    left, top, right, bottom = box
    return min(left, top) >= 0 and right <= VIEWPORT["width"] and bottom <= VIEWPORT["height"]


def pages_of(page: Any, console: Console, role: str) -> list[str]:
    """Every page the role may open: its navigation, a case, a rule."""
    hrefs: list[str] = page.locator("#nav a").evaluate_all(
        "(as) => as.map((a) => a.getAttribute('href'))"
    )
    with api_token(console, role) as api:
        case = api.get("/api/v1/cases", params={"limit": 1}).json()["items"][0]["id"]
        rules = api.get("/api/v1/rules", params={"limit": 1})
    extra = [f"#/case/{case}"]
    if "#/rules" in hrefs:
        extra.append(f"#/rules/{rules.json()['items'][0]['id']}")
    return [f"{h}?{PERIOD}" if h == "#/dashboard" else h for h in hrefs] + extra


def open_route(page: Any, console: Console, route: str) -> str:
    name = route.removeprefix("#/").split("/")[0].split("?")[0]
    page.goto(f"{console.url}/console/{route}")
    page.wait_for_selector(f"main[data-page='{name}'] h1")
    if name == "live":
        page.wait_for_selector("#live-state[data-state='connected']")
    if name == "dashboard":
        page.wait_for_selector(".chart svg")
    return name


@pytest.mark.parametrize("role", ROLES)
def test_every_field_and_button_on_every_page_has_a_name(
    page: Any, console: Console, role: str
) -> None:
    page.goto(f"{console.url}/console/#/login")
    page.wait_for_selector("#username")
    # The check finds what it looks for: a bare field, an empty button, an unnamed image.
    page.evaluate("""() => {
        const image = document.createElement("div");
        image.setAttribute("role", "img");
        const field = document.createElement("input");
        field.id = "bare";
        document.getElementById("main").append(field, document.createElement("button"), image);
    }""")
    assert page.evaluate(UNNAMED) == ["field input#bare.", "button button#.", "img div#."]
    log_in(page, console, role)
    assert page.evaluate(UNNAMED) == [], "the dashboard"
    for route in pages_of(page, console, role):
        name = open_route(page, console, route)
        if name == "dashboard":  # the charts' tables opened: their links too
            page.locator("details.chart-data summary").evaluate_all(
                "(ss) => ss.forEach((s) => s.click())"
            )
        assert page.evaluate(UNNAMED) == [], f"{role} on {route}"


@pytest.mark.parametrize(("role", "lang"), [(r, "zh") for r in ROLES] + [("admin", "en")])
def test_every_page_fits_a_1366_by_768_laptop(
    page: Any, console: Console, role: str, lang: str
) -> None:
    page.set_viewport_size(VIEWPORT)
    log_in(page, console, role)
    if lang == "en":
        page.evaluate("localStorage.setItem('hegui.lang', 'en')")
    width, height = VIEWPORT["width"], VIEWPORT["height"]
    for route in pages_of(page, console, role):
        name = open_route(page, console, route)
        fits = page.evaluate(FITS)
        where = f"{role} ({lang}) on {route}"
        assert (fits["width"], fits["height"]) == (width, height)
        which = {"case": "case", "rules": "rule"}.get(name, name) if route.count("/") > 1 else name
        shot(page, f"laptop-{role}-{lang}-{which}", full_page=False)
        if role == "admin":
            shot(page, f"laptop-{role}-{lang}-{which}-full")
        assert fits["scrollWidth"] <= fits["clientWidth"] <= width, f"{where}: scrolls sideways"
        assert fits["scrollY"] == 0
        assert len(fits["nav"]) >= 4, where
        for label, box in fits["nav"]:
            assert in_view(box), (where, label)
        assert fits["heading"], f"{where}: no heading"
        label, box = fits["heading"][0]
        assert in_view(box), (where, label)


def test_a_table_wider_than_its_box_scrolls_there_and_the_keyboard_scrolls_it(
    page: Any, console: Console
) -> None:
    log_in(page, console, "admin")
    page.set_viewport_size({"width": 800, "height": 768})  # a narrow window: the ledger is wider
    page.goto(f"{console.url}/console/#/ledger")
    page.wait_for_selector("main[data-page='ledger'] h1")
    box = page.locator("main .ledger-list")
    widths = box.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1], "the ledger's table is wider than its box"
    main = page.locator("#main").evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert main[0] <= main[1], "the table scrolls in its box, not the page"
    assert (box.get_attribute("role"), box.get_attribute("aria-label")) == ("region", "质检台账")
    assert box.get_attribute("tabindex") == "0"  # a scroller the keyboard reaches
    page.locator("#main").focus()
    stops = tab_to(page, "main .ledger-list")
    assert_focus_visible(stops[-1:])
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('main .ledger-list').scrollLeft > 0")
    shot(page, "a11y-narrow-ledger", full_page=False)
    page.set_viewport_size(VIEWPORT)  # wide enough again: no longer a tab stop
    page.wait_for_function(
        "() => !document.querySelector('main .ledger-list').hasAttribute('tabindex')"
    )
    assert box.get_attribute("role") is None


def test_without_echarts_the_tables_are_open_and_link_the_same(page: Any, console: Console) -> None:
    """An install without npm has no vendor/echarts.min.js: the numbers show as tables."""
    page.route("**/vendor/echarts.min.js", lambda route: route.fulfill(status=404))
    log_in(page, console, "compliance_manager")
    page.goto(f"{console.url}/console/#/dashboard?{PERIOD}")
    page.wait_for_selector("main[data-page='dashboard'] .heatmap table")
    page.wait_for_selector("details[data-for='band']")  # the score distribution comes last
    assert page.locator("svg").count() == 0
    tables = page.locator("details.chart-data")
    assert tables.count() == 7  # day, category, severity, channel, team, agent, score band
    assert all(t.get_attribute("open") is not None for t in tables.all())
    assert page.locator("[data-chart][role='img']").count() == 0  # no image to name
    values = json.loads(page.locator("[data-chart='severity']").get_attribute("data-values"))
    high = page.locator("details[data-for='severity'] a[data-key='high']")
    assert high.inner_text() == "高"
    high.click()
    assert ledger_total(page) == values["high"]
    assert hash_params(page)["severity"] == "high"
