"""Hostile HTML and Markdown, generated in code (nothing large is stored in the repository).

`hostile_files` maps a file name (its suffix picks the loader) to the bytes of one input that
made a loader explode in time, memory or recursion: YAML alias bombs and deep nesting in
front matter, spans that multiply a table, markup nested a hundred thousand deep, regexes
that backtrack quadratically. Each must be refused with a typed error or load in seconds.
The generators are seeded: the same bytes every run.
"""

from __future__ import annotations

import random

#: Text of a legitimate paragraph, so that a page has an article around its hostile part.
ARTICLE = "为做好今年防汛工作，现将有关事项通知如下。各区要在5月底前完成隐患排查，建立问题清单，不得漏报瞒报。"
_UNITS = ["市发展改革委", "市财政局", "市住房城乡建设局", "市自然资源局", "市生态环境局", "市交通运输局", "各区人民政府"]
_TASKS = ["完成隐患排查", "建立问题清单", "压缩审批时限", "落实资金保障", "开展专项检查", "报送工作进展"]


def _page(body: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>关于做好防汛工作的通知</title></head>"
            f"<body><div class='article'><p>{ARTICLE}</p>{body}<p>{ARTICLE}</p></div></body></html>").encode()


def _markdown(front: str, body: str = ARTICLE) -> bytes:
    return f"---\n{front}\n---\n\n# 关于做好防汛工作的通知\n\n{body}\n".encode()


def billion_laughs(field: str, levels: int = 9, width: int = 9) -> bytes:
    """Front matter whose ``field`` is an alias of nine levels of nine aliases each: a few
    hundred bytes that expand to 9**9 strings when the value is turned into text."""
    lines = ["doc_number: 国发〔2024〕1号", f"a: &a [{', '.join(['哈哈哈哈哈哈哈哈'] * width)}]"]
    names = "abcdefghijklmnop"
    for level in range(1, levels):
        prev, name = names[level - 1], names[level]
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * width)}]")
    lines.append(f"{field}: *{names[levels - 1]}")
    return _markdown("\n".join(lines))


def yaml_nested(depth: int = 20_000, mapping: bool = False) -> bytes:
    """A front-matter title nested ``depth`` deep in flow style ([[[…]]] or {a: {a: …}}; 10,000
    mappings keep it under the 64 KiB of front matter the loader parses)."""
    if mapping:
        return _markdown("title: " + "{a: " * depth + "1" + "}" * depth)
    return _markdown("title: " + "[" * depth + "1" + "]" * depth)


def rowspan_table(rows: int = 20_000, span: int = 50) -> bytes:
    """A table whose every row starts a cell spanning ``span`` rows and ``span`` columns: each
    row is pushed right by the spans above it, so the expanded grid is rows x span**2 cells."""
    rng = random.Random(3)
    trs = "".join(f"<tr><td rowspan='{span}' colspan='{span}'>{rng.choice(_TASKS)}</td><td>{i}</td></tr>"
                  for i in range(rows))
    return _page(f"<table>{trs}</table>")


def colspan_amplification(rows: int = 500, cell_chars: int = 1_000) -> bytes:
    """Half a million characters of cell text, each cell spanning 50 columns: 25 million
    characters once every spanned column repeats it."""
    rng = random.Random(5)
    trs = "".join(f"<tr><td colspan='50'>{''.join(rng.choice(_TASKS) for _ in range(cell_chars // 6))}</td>"
                  f"<td>{i}</td></tr>" for i in range(rows))
    return _page(f"<table>{trs}</table>")


def nested(tag: str, depth: int = 100_000, inner: str = f"<p>{ARTICLE}</p>") -> bytes:
    """``depth`` elements nested in one another, a paragraph at the bottom."""
    return (f"<html><body>{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}</body></html>").encode()


def nested_tables(depth: int = 2_000) -> bytes:
    """Layout tables nested in one another (four elements per level: table, tbody, tr, td)."""
    return _page("<table><tr><td>" * depth + f"<p>{ARTICLE}</p>" + "</td></tr></table>" * depth)


def sibling_tables(count: int = 5_000) -> bytes:
    """Many small task tables side by side, as a long annex might hold."""
    rng = random.Random(7)
    tables = []
    for t in range(count):
        rows = "".join(f"<tr><td>{t}.{r}</td><td>{rng.choice(_TASKS)}</td><td>{rng.choice(_UNITS)}</td></tr>"
                       for r in range(3))
        tables.append(f"<table><tr><th>序号</th><th>任务</th><th>责任单位</th></tr>{rows}</table>")
    return _page("".join(tables))


def markdown_pipe_table(rows: int = 30_000) -> bytes:
    """An honest but long pipe table: 30,000 task rows (over a million characters of text)."""
    rng = random.Random(11)
    lines = ["| 序号 | 工作任务 | 责任单位 | 完成时限 |", "|---|---|---|---|"]
    lines += [f"| {i} | {rng.choice(_TASKS)}，确保按期完成 | {rng.choice(_UNITS)} | 2025年{rng.randint(1, 12)}月底前 |"
              for i in range(1, rows + 1)]
    return _markdown("title: 重点任务清单", "\n".join(lines))


def markdown_empty_cells(cells: int = 2_000_000) -> bytes:
    """One pipe-table line of two million empty cells: two megabytes of "|"."""
    return _markdown("title: 空表", "|" * cells + "\n|" + "---|" * 3)


def markdown_long_paragraph(lines: int = 60_000) -> bytes:
    """One paragraph of soft-wrapped lines (no blank line between them): 60,000 lines are
    840,000 characters, 80,000 more than ``max_text_chars``."""
    rng = random.Random(13)
    body = "\n".join(f"{rng.choice(_UNITS)}要{rng.choice(_TASKS)}，" for _ in range(lines))
    return _markdown("title: 长段落", body)


def markdown_unclosed_markup(count: int = 100_000) -> bytes:
    """Emphasis, link and image openers that never close, all on one line: a regex that
    looks for the closer from each opener scans to the end of the line every time."""
    return _markdown("title: 未闭合标记", "各部门要 " + "*a " * count + "[a](" * count + "![" * count + "__a " * count)


def front_matter_too_long(keys: int = 40_000) -> bytes:
    """Two megabytes of front matter (pure-Python YAML reads it in a minute)."""
    return _markdown("\n".join(f"key{i}: [值{i}, {{a: {i}, b: 文本}}]" for i in range(keys)))


def evasive_nesting(kind: str, depth: int = 100_000) -> bytes:
    """Deep <div> nesting hidden from a naive tag counter: behind end tags the tree builder
    ignores, inside SVG where <style> is not raw text, after an empty comment, or as <div/>
    (which HTML does not close)."""
    divs = {"ignored_end_tags": "<x>" + "<div></x>" * depth, "svg_style": "<svg><style>" + "<div>" * depth,
            "empty_comment": "<!-->" + "<div>" * depth, "self_closing": "<div/>" * depth}[kind]
    return f"<html><body><p>{ARTICLE}</p>{divs}<p>{ARTICLE}</p></body></html>".encode()


def bold_everywhere(paragraphs: int = 20_000) -> bytes:
    """Thousands of bold pieces, bold inside bold, and bold across a paragraph's breaks."""
    body = "".join(f"<p>第{i}项<b>澄阳市水务局<strong>牵头</strong></b>、<b>临江<br>区</b>负责。</p>" for i in range(paragraphs))
    return f"<html><body><div>{body}</div></body></html>".encode()


def hostile_files() -> dict[str, bytes]:
    """Every hostile input, by file name (the suffix picks the loader)."""
    return {
        "billion_laughs_title.md": billion_laughs("title"),
        "billion_laughs_issuer.md": billion_laughs("issuer"),
        "billion_laughs_date.md": billion_laughs("date"),
        "yaml_merge_key_alias.md": _markdown("base: &base {issuer: 国务院}\n<<: *base\ntitle: 通知"),
        "yaml_nested_sequences.md": yaml_nested(20_000),
        "yaml_nested_mappings.md": yaml_nested(10_000, mapping=True),
        "front_matter_too_long.md": front_matter_too_long(),
        "yaml_huge_integer.md": _markdown("title: 0x" + "f" * 20_000),
        "rowspan_colspan_table.html": rowspan_table(20_000),
        "colspan_amplification.html": colspan_amplification(),
        "nested_divs.html": nested("div", 100_000),
        "nested_spans.html": nested("span", 100_000),
        "nested_bold.html": nested("b", 100_000),
        "nested_tables.html": nested_tables(2_000),
        "nested_template.html": nested("template", 100_000),
        **{f"evasive_{kind}.html": evasive_nesting(kind) for kind in
           ("ignored_end_tags", "svg_style", "empty_comment", "self_closing")},
        "nested_divs_in_markdown.md": _markdown("title: 嵌套", "<div>" * 100_000 + f"<p>{ARTICLE}</p>" + "</div>" * 100_000),
        "rowspan_table_in_markdown.md": _markdown("title: 表格", rowspan_table(20_000).decode()),
        "sibling_tables.html": sibling_tables(5_000),
        "markdown_pipe_table.md": markdown_pipe_table(30_000),
        "markdown_empty_cells.md": markdown_empty_cells(),
        "markdown_long_paragraph.md": markdown_long_paragraph(80_000),
        "markdown_unclosed_markup.md": markdown_unclosed_markup(),
        "bold_everywhere.html": bold_everywhere(),
    }
