"""Text speed of the policyflow library, beside jieba's bare segmentation, in one process.

Prints, each figure beside the anchor of issue 9 ("The bar"):

* start-up apart: seconds to ``import pipeline``, to ``load_resources()``, and to build and
  ``initialize()`` a private ``jieba.Tokenizer`` (the anchor's own start-up);
* the library end to end (``pipeline.extract_bytes`` per file, bytes read beforehand) over every
  file of ``../shared/corpus/docs`` and ``../shared/corpus/wide/docs``: characters of normalised
  text (``len(result.document.text)``) per CPU second of this single-threaded process (= per
  core), min / median / max over ``--repeat`` runs after one warm-up run, and the wall-clock rate;
* jieba's ``Tokenizer().lcut`` (a fresh private tokenizer, initialised before timing) over the
  same normalised texts in the same run, its runs taking turns with the library's, and the
  ratio library / jieba (anchor ≥ 0.45);
* scaling: a synthetic circular written by `synthetic_circular` (numbered items with bracketed
  assignments, label lines and deadlines; numbers and invented names drawn afresh for every
  document, so no cache carries over) of ~10 kB and of ~5 MB of UTF-8 text, run end to end; the
  5 MB rate over the 10 kB rate (anchor: within 15 %);
* the real peak RSS of the process (``ru_maxrss``) and how much the 5 MB run raised it.

Every figure's headline is the median run. The script always exits 0: it measures, it does not
judge. ``--quick`` runs once and skips the 5 MB document; ``--profile`` also runs the 5 MB
document once under cProfile and prints the top functions by cumulative and internal time.

Run from the project root:  .venv/bin/python benchmarks/text_speed.py [--repeat N] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import io
import logging
import os
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline import Resources

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_SETS = ("docs", "wide/docs")

# The bar of issue 9.
LIBRARY_ANCHOR = 250_000  # characters per second per core, end to end
JIEBA_RATIO_ANCHOR = 0.45  # library / jieba's bare lcut in the same run
SCALE_TOLERANCE = 0.15  # 5 MB rate within 15 % of the 10 kB rate

SMALL_BYTES = 10_000
LARGE_BYTES = 5_000_000
SMALL_DOCS_PER_RUN = 30  # one 10 kB document runs in milliseconds: time a batch of distinct ones
MAX_TEXT_CHARS = 20_000_000  # the 5 MB document is ~1.7 M characters, above the default limit


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Timed:
    """CPU and wall seconds of one run over ``chars`` characters."""

    cpu: float
    wall: float
    chars: int

    @property
    def cpu_rate(self) -> float:
        return self.chars / self.cpu if self.cpu > 0 else 0.0

    @property
    def wall_rate(self) -> float:
        return self.chars / self.wall if self.wall > 0 else 0.0


def timed(work: Callable[[], int]) -> Timed:
    """Run ``work`` (which returns the characters it read) and time it in CPU and wall seconds."""
    c0, w0 = time.process_time(), time.perf_counter()
    chars = work()
    return Timed(time.process_time() - c0, time.perf_counter() - w0, chars)


@dataclass(frozen=True)
class Spread:
    """min / median / max of one rate over several runs."""

    low: float
    median: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(min(values), statistics.median(values), max(values))

    def detail(self) -> str:
        return f"(min {self.low:,.0f} median {self.median:,.0f} max {self.high:,.0f})"


def cpu_spread(runs: list[Timed]) -> Spread:
    return Spread.of([r.cpu_rate for r in runs])


def wall_spread(runs: list[Timed]) -> Spread:
    return Spread.of([r.wall_rate for r in runs])


def max_rss_mib() -> float:
    """The process's peak resident set so far (a high-water mark)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10  # bytes on macOS, KiB on Linux


def current_rss_mib() -> float | None:
    """The resident set now (Linux), to tell what one run adds on top of it."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


# ---------------------------------------------------------------- printing


def show(label: str, value: str, detail: str = "", anchor: str = "") -> None:
    line = f"{label:<26}{value:>16}  {detail:<52}"
    print(f"{line}  {anchor}".rstrip() if anchor else line.rstrip())


def rate(value: float) -> str:
    return f"{value:,.0f} chars/s"


def failed(label: str, exc: BaseException) -> None:
    """A stage that crashed is reported and skipped: the benchmark still prints the rest."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" (at {Path(where.filename).name}:{where.lineno})" if where else ""
    show(label, "FAILED", f"{type(exc).__name__}: {exc}{at}"[:200])


# ---------------------------------------------------------------- synthetic circular

# Invented syllables for place names and companies: combined at random, so names vary freely.
_SYLLABLES = "澄临青云安平宁泽江川阳山河源溪丰和定兴昌瑞禾嘉润清远泉林枫桐岚滨汀湾南北东西新"
# Department cores with the head noun they take (a form of naming, not one issuer's list).
_DEPARTMENTS = (
    ("发展改革", "委"), ("财政", "局"), ("教育", "局"), ("公安", "局"), ("民政", "局"),
    ("人力资源社会保障", "局"), ("自然资源和规划", "局"), ("生态环境", "局"), ("住房城乡建设", "局"),
    ("交通运输", "局"), ("水务", "局"), ("农业农村", "局"), ("商务", "局"), ("文化广电旅游", "局"),
    ("卫生健康", "委"), ("应急管理", "局"), ("市场监管", "局"), ("统计", "局"), ("医疗保障", "局"),
    ("数据资源管理", "局"), ("科技", "局"), ("工业和信息化", "局"), ("审计", "局"), ("司法", "局"),
    ("国资", "委"), ("城市管理", "局"), ("金融工作", "办公室"), ("政务服务", "中心"), ("林业", "站"),
)
_VERBS = ("推进", "完善", "健全", "加快", "强化", "建立", "深化", "推动", "落实", "开展", "优化", "提升")
_TOPICS = ("城乡供水", "排涝泵站", "社区养老", "政务数据共享", "危险化学品运输", "冷链物流", "农村公路",
           "学校食堂", "电梯安全", "充电设施", "河湖巡查", "老旧小区", "中小企业融资", "职业技能培训",
           "森林防火", "文物保护", "医保结算", "地名标志", "垃圾分类", "燃气管网", "夜间经济", "托育服务")
_OBJECTS = ("工作机制", "监测平台", "服务体系", "试点工作", "改造工程", "专项行动", "监测网络",
            "标准规范", "服务清单", "考核办法", "信息台账", "应急预案")
_UNITS = ("个", "处", "家", "公里", "座", "套", "人次", "项")
_RHYTHMS = ("月调度、季通报、年考核", "每季度通报一次", "按年度开展评估", "每半年报送一次进展情况")
_CO_LABELS = ("配合单位", "协办单位", "参与部门", "配合部门")
_LEAD_LABELS = ("牵头单位", "主责单位", "牵头部门", "责任单位")
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..9999 as Chinese numerals (一, 十一, 二十, 一百零五, 一千二百三十四), for outline markers."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + unit
            zero = False
        else:
            zero = bool(out)
    return out


class CircularWriter:
    """Writes an invented circular: a header, sections 一、 of items （一） with assignments and
    deadlines in several forms, and a signature. Every number and name comes from ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.city = self.place() + "市"
        self.year = rng.randint(2024, 2031)

    def place(self) -> str:
        return "".join(self.rng.sample(_SYLLABLES, 2))

    def department(self) -> str:
        core, head = self.rng.choice(_DEPARTMENTS)
        scope = self.rng.choice(("市", "市", self.place() + "区", self.place() + "县"))
        return f"{scope}{core}{head}"

    def body(self) -> str:
        """A department most of the time; sometimes a company, a hospital or a class noun."""
        kind = self.rng.random()
        if kind < 0.8:
            return self.department()
        if kind < 0.88:
            return f"{self.place()}{self.rng.choice(('城投', '水务', '交通'))}集团有限公司"
        if kind < 0.94:
            return f"{self.city}第{chinese_number(self.rng.randint(1, 12))}人民医院"
        return self.rng.choice(("各区县人民政府", "各街道办事处", "相关街镇", "市属国有企业"))

    def bodies(self, low: int, high: int) -> list[str]:
        return list(dict.fromkeys(self.body() for _ in range(self.rng.randint(low, high))))

    def deadline(self) -> str:
        """A time point or period in one of the forms circulars print."""
        r, y = self.rng, self.year + self.rng.randint(0, 2)
        m = r.randint(1, 12)
        forms = (
            f"{y}年{m}月底前",
            f"{y}年{m}月{r.randint(1, 28)}日前",
            f"{y}年年底前",
            f"{y}年第{chinese_number(r.randint(1, 4))}季度",
            f"{min(m, 11)}－{min(m, 11) + 1}月",
            f"自本方案印发之日起{r.randint(10, 90)}个工作日内",
            f"每年{m}月{r.randint(1, 28)}日前",
            "长期坚持",
        )
        return r.choice(forms)

    def due_clause(self, verb: str) -> str:
        due = self.deadline()
        return due if due == "长期坚持" else f"{due}{verb}"

    def sentence(self) -> str:
        r = self.rng
        target = r.choice((
            f"完成{r.randint(3, 900)}{r.choice(_UNITS)}{r.choice(_OBJECTS)}建设",
            f"覆盖率达到{r.randint(60, 99)}%以上",
            f"新增{r.randint(10, 9000)}{r.choice(_UNITS)}服务点位",
            f"累计投入资金{r.randint(1, 80)}.{r.randint(0, 9)}亿元",
        ))
        return f"{r.choice(_VERBS)}{r.choice(_TOPICS)}{r.choice(_OBJECTS)}，{target}"

    def item(self, number: int) -> list[str]:
        """One numbered item in one of five forms of assignment (its paragraphs)."""
        r, marker = self.rng, f"（{chinese_number(number)}）"
        lead, co = self.body(), "、".join(self.bodies(1, 4))
        form = r.randrange(5)
        if form == 0:  # bracket with two labelled fields
            return [f"{marker}{self.sentence()}。{self.sentence()}，{self.due_clause('完成')}。"
                    f"（{r.choice(_LEAD_LABELS)}：{lead}；{r.choice(_CO_LABELS)}：{co}）"]
        if form == 1:  # label line on its own paragraph, lead by position
            return [f"{marker}{self.sentence()}。{self.sentence()}。",
                    f"责任单位：{lead}牵头，{co}配合。", f"完成时限：{self.deadline()}。"]
        if form == 2:  # 【】 bracket with a field that names no body
            return [f"{marker}{self.sentence()}。到{self.year + 2}年，{self.sentence()}。"
                    f"【责任单位：{lead}、{co}；适用范围：{self.place()}区{r.randint(1, 30)}个街道】"]
        if form == 3:  # A会同B in the sentence itself
            return [f"{marker}{lead}会同{co}{self.sentence()}，{self.due_clause('形成工作方案')}。"]
        return [f"{marker}{self.sentence()}，实行{r.choice(_RHYTHMS)}。"  # rhythm, bare bracket
                f"（{lead}牵头，{co}按职责分工负责）"]

    def header(self) -> list[str]:
        r = self.rng
        return [
            f"{self.city}人民政府办公室文件",
            f"{self.city[:1]}政办发〔{self.year}〕{r.randint(1, 99)}号",
            f"{self.city}人民政府办公室关于印发{self.city}{r.choice(_TOPICS)}{r.choice(_OBJECTS)}实施方案的通知",
            "各区县人民政府，市政府各部门，各直属机构：",
            f"经市政府同意，现将《{self.city}{r.choice(_TOPICS)}实施方案》印发给你们，请认真贯彻执行。",
        ]

    def section(self, number: int) -> Iterator[list[str]]:
        """A section heading, then its items: each yielded as the paragraphs it takes."""
        r = self.rng
        yield [f"{chinese_number(number)}、{r.choice(_VERBS)}{r.choice(_TOPICS)}{r.choice(_OBJECTS)}"]
        for item in range(1, r.randint(6, 15) + 1):
            yield self.item(item)

    def signature(self) -> list[str]:
        return [f"{self.city}人民政府办公室", f"{self.year}年{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"]


def synthetic_circular(target_bytes: int, seed: int) -> str:
    """An invented circular of about ``target_bytes`` bytes of UTF-8 (items are added until the
    body reaches it); the seed fixes every number and name, so a run can be repeated."""
    writer = CircularWriter(random.Random(seed))
    lines = writer.header()
    size, number = sum(len(line.encode()) + 1 for line in lines), 0
    while size < target_bytes:
        number += 1
        for paragraphs in writer.section(number):
            lines += paragraphs
            size += sum(len(p.encode()) + 1 for p in paragraphs)
            if size >= target_bytes:
                break
    return "\n".join(lines + writer.signature()) + "\n"


# ---------------------------------------------------------------- the runs


def read_corpus() -> list[tuple[str, bytes]]:
    """Every file of the corpus sets, read into memory (name relative to the corpus, bytes)."""
    inputs = []
    for name in CORPUS_SETS:
        folder = CORPUS / name
        for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
            inputs.append((str(path.relative_to(CORPUS)), path.read_bytes()))
    return inputs


def library_run(api: ModuleType, inputs: list[tuple[str, bytes]], resources: Resources) -> int:
    """``extract_bytes`` over every input; the characters of normalised text it read."""
    chars = 0
    for name, data in inputs:
        chars += len(api.extract_bytes(data, name, resources).document.text)
    return chars


def jieba_run(tokenizer: object, texts: list[str]) -> int:
    chars = 0
    for text in texts:
        tokenizer.lcut(text)  # type: ignore[attr-defined]
        chars += len(text)
    return chars


@dataclass
class Report:
    """The headline figures, for the summary line."""

    library: float | None = None
    jieba: float | None = None
    scale: float | None = None


def start_up() -> tuple[ModuleType, Resources, object, float, float, float, bool]:
    """Import the library, load its resources, build jieba's tokenizer: each timed apart."""
    t0 = time.perf_counter()
    pipeline = importlib.import_module("pipeline")
    import_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    resources = pipeline.load_resources(pipeline.Settings(max_text_chars=MAX_TEXT_CHARS))
    resource_seconds = time.perf_counter() - t0

    import jieba  # already imported by the library, so this costs nothing

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    cache_present = Path(tokenizer.tmp_dir or tempfile.gettempdir(), tokenizer.cache_file or "jieba.cache").is_file()
    t0 = time.perf_counter()
    tokenizer.initialize()
    jieba_seconds = time.perf_counter() - t0
    return pipeline, resources, tokenizer, import_seconds, resource_seconds, jieba_seconds, cache_present


def corpus_section(pipeline: ModuleType, resources: Resources, tokenizer: object, repeat: int, report: Report) -> None:
    inputs = read_corpus()
    texts: list[str] = []
    failures: list[str] = []
    kept: list[tuple[str, bytes]] = []
    t0 = time.perf_counter()
    for name, data in inputs:  # warm-up run: also yields the normalised texts jieba will read
        try:
            texts.append(pipeline.extract_bytes(data, name, resources).document.text)
            kept.append((name, data))
        except pipeline.DocumentError as exc:
            failures.append(str(exc))
    warmup_seconds = time.perf_counter() - t0
    chars = sum(len(t) for t in texts)
    show("corpus", " + ".join(CORPUS_SETS), f"{CORPUS}")
    show("documents", f"{len(kept):,}", f"{len(failures)} failed to load" if failures else "")
    for failure in failures:
        print(f"  failed: {failure}")
    show("normalised text", f"{chars:,}", f"characters ({sum(len(b) for _, b in kept):,} bytes of input)")
    show("warm-up (1 run)", f"{warmup_seconds:.2f} s", "first use of the cue patterns, untimed below")

    jieba_run(tokenizer, texts)  # warm-up: the HMM's patterns and the first dictionary look-ups
    # library and jieba take turns, so that a neighbour's load on the shared cores weighs on both
    lib_runs: list[Timed] = []
    jieba_runs: list[Timed] = []
    for _ in range(repeat):
        lib_runs.append(timed(functools.partial(library_run, pipeline, kept, resources)))
        jieba_runs.append(timed(functools.partial(jieba_run, tokenizer, texts)))
    report.library = cpu_spread(lib_runs).median
    show("library end to end", rate(report.library), cpu_spread(lib_runs).detail(), f"anchor ≥ {LIBRARY_ANCHOR:,}")
    show("  wall clock", rate(wall_spread(lib_runs).median), wall_spread(lib_runs).detail())
    show("  CPU per run", f"{statistics.median(r.cpu for r in lib_runs):.2f} s",
         f"median of {repeat}; one thread, so CPU seconds = seconds of one core")
    report.jieba = cpu_spread(jieba_runs).median
    show("jieba lcut (bare)", rate(report.jieba), cpu_spread(jieba_runs).detail(), "fresh Tokenizer(), HMM on")
    show("  wall clock", rate(wall_spread(jieba_runs).median), wall_spread(jieba_runs).detail())
    ratio = report.library / report.jieba if report.jieba else 0.0
    pairs = Spread.of([lib.cpu_rate / jb.cpu_rate for lib, jb in zip(lib_runs, jieba_runs, strict=True) if jb.cpu_rate])
    show("library / jieba", f"{ratio:.2f}",
         f"of the medians; run by run {pairs.low:.2f} – {pairs.high:.2f}", f"anchor ≥ {JIEBA_RATIO_ANCHOR:.2f}")


def synthetic_inputs(target_bytes: int, count: int, seed: int) -> list[tuple[str, bytes]]:
    return [(f"synthetic-{target_bytes}-{seed + i}.txt", synthetic_circular(target_bytes, seed + i).encode())
            for i in range(count)]


def scaling_section(pipeline: ModuleType, resources: Resources, repeat: int, large: bool,
                    profile: bool, report: Report) -> None:
    seed = 1000
    small_runs = []
    library_run(pipeline, synthetic_inputs(SMALL_BYTES, 1, seed), resources)  # warm-up
    for _ in range(repeat):
        seed += SMALL_DOCS_PER_RUN
        batch = synthetic_inputs(SMALL_BYTES, SMALL_DOCS_PER_RUN, seed)
        small_runs.append(timed(functools.partial(library_run, pipeline, batch, resources)))
    small = cpu_spread(small_runs)
    small_chars = small_runs[0].chars // SMALL_DOCS_PER_RUN
    show("synthetic ~10 kB", rate(small.median), small.detail(),
         f"{SMALL_DOCS_PER_RUN} distinct documents of ~{small_chars:,} chars per run")
    if not large:
        show("synthetic ~5 MB", "skipped", "--quick")
        return

    large_runs = []
    rss_before, peak_before = current_rss_mib(), max_rss_mib()
    for run in range(repeat):
        document = synthetic_inputs(LARGE_BYTES, 1, 9000 + run)  # fresh names and numbers each run
        try:
            large_runs.append(timed(functools.partial(library_run, pipeline, document, resources)))
        except Exception as exc:  # a crash on a long text is a finding, not the end of the benchmark
            failed("synthetic ~5 MB", exc)
            return
        if run == 0:
            peak_after = max_rss_mib()
    big = cpu_spread(large_runs)
    show("synthetic ~5 MB", rate(big.median), big.detail(),
         f"one document of {large_runs[0].chars:,} chars; median CPU {statistics.median(r.cpu for r in large_runs):.1f} s")
    report.scale = big.median / small.median if small.median else None
    low, high = 1 - SCALE_TOLERANCE, 1 + SCALE_TOLERANCE
    show("5 MB / 10 kB", f"{report.scale:.2f}" if report.scale else "n/a", "medians", f"anchor {low:.2f}–{high:.2f}")
    if peak_after > peak_before:
        base = f"{rss_before:.0f} MiB resident before" if rss_before is not None else ""
        show("5 MB run's peak", f"+{peak_after - (rss_before or peak_before):.0f} MiB", base)
    else:
        show("5 MB run's peak", f"≤ {peak_before:.0f} MiB", "did not raise the process's earlier peak")
    if profile:
        profile_large(pipeline, resources)


def profile_large(pipeline: ModuleType, resources: Resources, top: int = 15) -> None:
    """One 5 MB run under cProfile: the top functions by cumulative and by internal time."""
    document = synthetic_inputs(LARGE_BYTES, 1, 9999)
    profiler = cProfile.Profile()
    profiler.enable()
    library_run(pipeline, document, resources)
    profiler.disable()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(top)
        print(f"\n--- cProfile of one ~5 MB run, top {top} by {key} ---")
        print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each measure (default 5)")
    parser.add_argument("--quick", action="store_true", help="one run of each, no 5 MB document")
    parser.add_argument("--profile", action="store_true", help="also profile one 5 MB run with cProfile")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else max(1, args.repeat)
    report = Report()

    pipeline, resources, tokenizer, import_s, resource_s, jieba_s, cache_present = start_up()
    show("import pipeline", f"{import_s:.3f} s", "once per process (jieba, the registry code, the loaders)")
    show("load_resources()", f"{resource_s:.3f} s", "once per process")
    show("jieba initialize()", f"{jieba_s:.3f} s",
         "fresh Tokenizer, " + ("its dictionary cache present" if cache_present else "dictionary cache built"))
    sections: list[tuple[str, Callable[[], None]]] = [
        ("corpus", lambda: corpus_section(pipeline, resources, tokenizer, repeat, report)),
        ("scaling", lambda: scaling_section(pipeline, resources, repeat, not args.quick, args.profile, report)),
    ]
    for label, section in sections:
        try:
            section()
        except Exception as exc:
            failed(label, exc)

    peak = max_rss_mib()
    show("peak RSS (ru_maxrss)", f"{peak:.0f} MiB", "whole process, all of the above")

    def fmt(value: float | None, spec: str) -> str:
        return format(value, spec) if value is not None else "n/a"

    ratio = report.library / report.jieba if report.library and report.jieba else None
    print(f"text-speed | library={fmt(report.library, ',.0f')} jieba={fmt(report.jieba, ',.0f')} "
          f"ratio={fmt(ratio, '.2f')} scale_5MB/10kB={fmt(report.scale, '.2f')} peak_rss={peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
