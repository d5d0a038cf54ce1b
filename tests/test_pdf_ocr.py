"""F19: a scanned circular (a PDF of page pictures, no text layer) with a red masthead.

By default it is ``needs_ocr``; with OCR on, Tesseract reads it, the red masthead read on its
own (colour separation, black on white) gives the issuer, and the 字号 and date that OCR
garbles are normalised. The scans are drawn here with a CJK font: one page at 150 dpi.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import ExtractionResult, Settings, Source, extract_bytes, load_resources, process_source
from pipeline.loaders.pdf import OCR_WARNING
from pipeline.loaders.pdf_ocr import normalise_shapes

RED = (214, 24, 30)
WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi
LEFT, RIGHT = 165, 1075  # GB/T 9704 margins: 28 mm and 26 mm

BODY = [  # lines filling the text block: 29 characters after the indent, then 31
    "为做好春季农田水利建设工作，保障全年粮食生产安全，现将有关",
    "事项通知如下，请各乡镇人民政府和市直有关单位认真贯彻落实。",
    "各乡镇要于2027年4月底前完成灌溉渠道清淤和小型泵站的检",
    "修，并将进展情况报送市农业农村局。",
]


def _cjk_font() -> Path | None:
    """A font file with Han characters (Debian: fonts-arphic-uming), or None."""
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        listed = subprocess.run([fc_list, ":lang=zh-cn", "file"], capture_output=True, text=True).stdout
        files = sorted(line.split(":")[0].strip() for line in listed.splitlines() if line.strip())
        if files:
            return Path(next((f for f in files if "uming" in f.lower()), files[0]))
    known = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
    return known if known.is_file() else None


@pytest.fixture(scope="module")
def font() -> Path:
    path = _cjk_font()
    if path is None:
        pytest.skip("no CJK font to draw a scanned circular (Debian: fonts-arphic-uming)")
    return path


@pytest.fixture(scope="module")
def tesseract() -> Iterator[str]:
    path = shutil.which("tesseract")
    if path is None:
        pytest.skip("tesseract is not installed (Debian: tesseract-ocr)")
    if "chi_sim" not in subprocess.run([path, "--list-langs"], capture_output=True, text=True).stdout:
        pytest.skip("Tesseract has no chi_sim data (Debian: tesseract-ocr-chi-sim)")
    yield path


def scanned_circular(font: Path, masthead: str = "澄阳市农业农村局文件", signer: str = "澄阳市农业农村局") -> bytes:
    """One page as a scanner gives it: a red masthead and rule, a black 字号, title, addressee,
    body, signature (``signer``, none when empty) and date; the picture is the page's only content."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)

    def write(y: int, text: str, size: int, fill: object = "black", x: int | None = None) -> None:
        face = ImageFont.truetype(str(font), size)
        left = (WIDTH - draw.textlength(text, font=face)) / 2 if x is None else x
        draw.text((left, y), text, font=face, fill=fill)

    write(200, masthead, 84, RED)
    write(360, "澄农发〔2027〕5号", 32)
    draw.rectangle((LEFT, 420, RIGHT, 424), fill=RED)
    write(490, "关于做好春季农田水利建设的通知", 40)
    write(600, "各乡镇人民政府，市直有关单位：", 29, x=LEFT)
    for n, line in enumerate(BODY):
        write(660 + 55 * n, line, 29, x=LEFT + (58 if n % 2 == 0 else 0))
    if signer:
        write(1000, signer, 29, x=760)
    write(1060, "2027年3月8日", 29, x=780)
    scan = io.BytesIO()
    image.save(scan, "PDF", resolution=150)
    return scan.getvalue()


@pytest.fixture(scope="module")
def ocr_resources():
    return load_resources(Settings(ocr=True))


def test_F19_scanned_circular_with_red_masthead_needs_ocr_by_default(font, tmp_path, resources):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_circular(font))
    result = process_source(Source(path, "scan.pdf"), resources)
    assert (result.status, result.tasks) == ("needs_ocr", [])
    assert "--ocr" in (result.error or "")


def _read(data: bytes, resources) -> ExtractionResult:
    result = extract_bytes(data, "scan.pdf", resources)
    assert result.status == "ok" and result.document is not None
    return result


@pytest.mark.parametrize("signer", ["澄阳市农业农村局", ""], ids=["signed", "date_only"])
def test_F19_red_masthead_read_by_ocr_gives_the_issuer(font, tesseract, ocr_resources, signer):
    """Signed or not (a seal and a date only), the issuer is read: the red masthead is the
    first line of the text, and the 字号 above the red rule keeps its 〔〕."""
    result = _read(scanned_circular(font, signer=signer), ocr_resources)
    document = result.document
    assert document is not None and document.header is not None
    assert document.header.issuer == ["澄阳市农业农村局"]
    assert document.header.sources["issuer"] == ("signature" if signer else "printed_header")
    assert document.header.doc_number == "澄农发〔2027〕5号"
    assert document.text.splitlines()[0] == "澄阳市农业农村局文件"
    assert document.blocks[0].role == "header"
    assert any(OCR_WARNING in w for w in document.warnings)


def test_F19_red_masthead_that_is_no_body_name_is_left_out_with_a_warning(font, tesseract, ocr_resources):
    result = _read(scanned_circular(font, masthead="ABCD 1234 WXYZ"), ocr_resources)
    document = result.document
    assert document is not None and document.header is not None
    assert any("red masthead" in w and "left out" in w for w in document.warnings)
    assert document.header.issuer == ["澄阳市农业农村局"]  # the signature still names it
    assert "ABCD" not in document.text


@pytest.mark.parametrize(("read", "printed"), [
    ("澄农发【2027] 5号", "澄农发〔2027〕5号"),
    ("澄农发(2027)5号", "澄农发〔2027〕5号"),
    ("临江区府办发［２０２７］第１２号", "临江区府办发〔2027〕第12号"),
    ("依据《方案》（澄政发[2026] 3 号）执行", "依据《方案》（澄政发〔2026〕3号）执行"),
    ("2027 年 3 月 8 曰", "2027年3月8日"),
    ("２０２７年１２月０１日", "2027年12月1日"),
    ("2027年13月8日", "2027年13月8日"),  # no such month: left as read
    ("工作方案（2027年）", "工作方案（2027年）"),  # a year in brackets without 号 is no 字号
])
def test_F19_ocr_doc_number_and_date_shapes_are_normalised(read, printed):
    assert normalise_shapes(read) == printed
