"""The bulletin and the personal form print the history's head at printing time."""

import pytest

from efficiency.reports import documents
from efficiency.services import history_chain
from efficiency.services.audit import record

from .report_support import pdf_text, quarter, squeeze


@pytest.fixture
def period(office):
    return quarter(office)


def test_bulletin_prints_the_fingerprint_and_its_qr_code(period, tmp_path):
    fingerprint = history_chain.head().fingerprint
    rendered = documents.bulletin(period)
    text = squeeze(pdf_text(rendered.content, tmp_path))
    assert f"打印时的历史指纹：{fingerprint}" in text
    assert "/verify/" in text


def test_personal_form_prints_the_fingerprint(office, period, tmp_path):
    fingerprint = history_chain.head().fingerprint
    rendered = documents.personal(period, office.person)
    text = squeeze(pdf_text(rendered.content, tmp_path))
    assert f"打印时的历史指纹：{fingerprint}" in text


def test_the_fingerprint_is_the_head_at_printing_time(office, period, tmp_path):
    before = history_chain.head().fingerprint
    first = squeeze(pdf_text(documents.bulletin(period).content, tmp_path))
    record(actor=office.leader, obj=period, action="remind", reason="提醒")
    after = history_chain.head().fingerprint
    second = squeeze(pdf_text(documents.bulletin(period).content, tmp_path))
    assert before != after
    assert before in first and after not in first
    assert after in second


def test_the_zip_draws_the_stamp_once_and_every_form_carries_the_head(office, period, monkeypatch):
    # Drawing the QR code was most of the time the ZIP spent outside the PDFs (issue 12,
    # item 5): one stamp for the whole ZIP, the same one a form printed alone would show.
    from efficiency.reports import personal

    drawn = []
    real = personal.history_stamp
    monkeypatch.setattr(personal, "history_stamp", lambda: drawn.append(1) or real())
    batch = dict(documents.personal_contexts(period))
    assert len(batch) == 8 and len(drawn) == 1
    single = documents.personal_context(period, office.person)
    fingerprint = history_chain.head().fingerprint
    for context in batch.values():
        assert context["history_fingerprint"] == fingerprint
        assert context["history_qr"] == single["history_qr"]
