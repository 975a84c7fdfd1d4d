"""The loader refuses a bad module file, naming the file and the field, at start-up too."""

import shutil
from datetime import date, timedelta

import pytest

from app import create_app
from app.content import modules
from app.content.modules import MODULES_DIR, ModuleContentError, parse_library

SAMPLE = "listen-first"


@pytest.fixture
def shelf(tmp_path):
    """A copy of one real module in a folder of its own, ready to be broken."""
    shutil.copytree(MODULES_DIR / SAMPLE, tmp_path / "sample")
    return tmp_path


def edit(shelf, locale: str, old: str, new: str, count: int = 1) -> None:
    path = shelf / "sample" / f"{locale}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def refused(shelf) -> str:
    with pytest.raises(ModuleContentError) as caught:
        parse_library(shelf)
    return str(caught.value)


def test_the_copy_parses_before_it_is_broken(shelf):
    assert set(parse_library(shelf).modules) == {"sample"}


@pytest.mark.parametrize(
    ("locale", "old", "new", "expected"),
    [
        ("en", "audience: guardian", "audience: parent", "sample/en.md: audience: must be"),
        ("en", "minutes: 10", "minutes: ten", "sample/en.md: minutes:"),
        ("en", "title: ", "titel: ", "sample/en.md: titel: is not a module field"),
        ("es", "summary: ", 'summary: "  "\n# ', "sample/es.md: summary: must be non-empty"),
        ("en", "    best: 2", "    best: 9", "sample/en.md: scenarios[0].best:"),
        ("en", "    best: 3", "    best: true", "sample/en.md: scenarios[1].best:"),
        ("en", "        feedback: Fear", "        feedbak: Fear", "scenarios[0].options[0]:"),
        ("es", "  - id: bandage", "  - id: Bandage!", "sample/es.md: scenarios[0].id:"),
        ("en", "  - id: nobody-understands", "  - id: bandage", "the id 'bandage' is used twice"),
        ("en", "{#words}", "{#validating}", "sample/en.md: sections: the id 'validating'"),
        ("en", "{#after}", "{#After Talk}", "sample/en.md: sections[4].id:"),
        ("en", "Finding out", "# A big heading\n\nFinding out", "sample/en.md: sections[0].body:"),
        ("en", "---\n\n## What", "---\n\nHello.\n\n## What", "sample/en.md: sections: text before"),
        ("en", "title: ", "title: [", "sample/en.md: front matter: cannot be read"),
        ("es", "{#words}", "{#palabras}", "sample/es.md: sections: differs from en.md"),
        ("es", "    best: 1", "    best: 2", "sample/es.md: best: differs from en.md"),
        ("es", "audience: guardian", "audience: school", "sample/es.md: audience: differs"),
        (
            "en",
            "reviewed_by: Not yet reviewed by a clinician",
            "reviewed_by: Dr. Somebody",
            "sample/en.md: reviewed_by: without a review date",
        ),
        (
            "en",
            "reviewed_on:\n",
            f"reviewed_on: {date.today() + timedelta(days=3)}\n",
            "sample/en.md: reviewed_on: must be a past date",
        ),
        (
            "en",
            "reviewed_on:\n",
            "reviewed_on: 2025-01-10\n",
            "sample/en.md: reviewed_by: name the clinician",
        ),
    ],
)
def test_a_broken_file_is_refused_naming_file_and_field(shelf, locale, old, new, expected):
    edit(shelf, locale, old, new)
    assert expected in refused(shelf)


def test_an_option_without_feedback_is_refused(shelf):
    edit(shelf, "en", "        feedback: Fear and hurt are natural here.", "        # feedback:")
    assert "sample/en.md: scenarios[0].options[0]: needs exactly text and feedback" in refused(
        shelf
    )


def test_too_few_sections_or_options_are_refused(shelf):
    path = shelf / "sample" / "en.md"
    head, _, _ = path.read_text(encoding="utf-8").partition("\n## ")
    path.write_text(head + "\n## Only one {#only}\n\nText.\n", encoding="utf-8")
    assert "sample/en.md: sections: needs 3 to 6, found 1" in refused(shelf)


def test_a_missing_translation_or_stray_file_is_refused(shelf):
    (shelf / "sample" / "notes.txt").write_text("draft", encoding="utf-8")
    assert "sample/notes.txt: file: not a module locale" in refused(shelf)
    (shelf / "sample" / "notes.txt").unlink()
    (shelf / "sample" / "es.md").unlink()
    assert "sample/es.md: file: missing" in refused(shelf)


def test_a_folder_name_that_is_not_a_slug_is_refused(shelf):
    (shelf / "sample").rename(shelf / "Sample Module")
    assert "Sample Module/: folder name" in refused(shelf)


def test_raw_html_and_images_are_never_rendered(shelf):
    edit(
        shelf,
        "en",
        "Finding out",
        '<script>alert(1)</script> <img src="x"> ![a picture](https://example.org/x.png)\n\n'
        "Finding out",
    )
    section = parse_library(shelf).get("sample", "en").sections[0]
    assert "<script>" not in section.body_html
    assert "&lt;script&gt;" in section.body_html
    assert "<img" not in section.body_html


def test_a_broken_module_stops_the_app_at_start_up(shelf, monkeypatch, app_config):
    edit(shelf, "es", "audience: guardian", "audience: teachers")
    monkeypatch.setattr(modules, "MODULES_DIR", shelf)
    modules.library.cache_clear()
    try:
        with pytest.raises(ModuleContentError, match=r"sample/es\.md: audience"):
            create_app(app_config)
    finally:
        modules.library.cache_clear()


def test_the_library_is_parsed_once_per_process():
    modules.library.cache_clear()
    first = modules.library()
    assert modules.library() is first
    assert modules.library.cache_info().hits >= 1
