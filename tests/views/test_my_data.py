"""Issue 15, "Your data": a page a person can read in their own language (activity in words,
dates formatted, the payment number masked), with the comments they can find with their key,
and downloads a person can open, under names that do not name the council."""

from __future__ import annotations

import json
import re

import pytest

from council.actions import payments, rates
from tests.factories import author, post_comment, prepared_consultation

MOBILE = "+380 67 123 4567"
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


@pytest.fixture
def member_data(db, settings, people):
    setup = prepared_consultation(db, settings, people)
    post_comment(db, settings, author(settings, people["member"]), setup, "Mine, anonymously.")
    post_comment(
        db,
        settings,
        author(settings, people["member"]),
        setup,
        "Mine, by name.",
        visibility="council",
    )
    post_comment(db, settings, author(settings, people["member2"]), setup, "Someone else's.")
    with db.write() as session:
        rates.set_payment_methods(session, people["secretariat"], ["mobile_money"])
        payments.save_payment_profile(
            session,
            settings.secret_key,
            people["member"],
            method="mobile_money",
            details=MOBILE,
            legal_name="",
        )
    return setup


def test_the_page_reads_as_words_and_dates_with_the_number_masked(
    db, people, member_data, signed_in
):
    client = signed_in("member")
    text = client.get("/account/my-data").text
    assert not ISO_TIME.search(text), ISO_TIME.search(text)
    assert MOBILE not in text and "4567" in text
    assert "<code>" not in text
    assert "payment_profile.save" not in text
    assert "You saved how you want to be paid" in text
    assert "Mine, anonymously." in text and "Mine, by name." in text
    assert "Someone else&#39;s." not in text and "Someone else's." not in text


def test_the_page_is_in_the_members_language(member_data, signed_in):
    client = signed_in("member")
    client.get("/language?lang=uk&next=/account/my-data")
    text = client.get("/account/my-data").text
    assert "Ви зберегли спосіб оплати" in text


def test_a_printable_file_a_person_can_open(member_data, signed_in):
    response = signed_in("member").get("/account/my-data.html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    disposition = response.headers["content-disposition"]
    assert "attachment" in disposition and "council" not in disposition.lower()
    assert re.search(r'filename="data-\d{4}-\d\d-\d\d\.html"', disposition)
    assert "Mine, anonymously." in response.text and MOBILE not in response.text
    assert "<script" not in response.text


def test_the_json_has_the_comments_and_a_neutral_name(member_data, signed_in):
    response = signed_in("member").get("/account/my-data.json")
    disposition = response.headers["content-disposition"]
    assert "council" not in disposition.lower()
    assert re.search(r'filename="data-\d{4}-\d\d-\d\d\.json"', disposition)
    data = json.loads(response.text)
    bodies = {c["body"] for c in data["comments"]}
    assert bodies == {"Mine, anonymously.", "Mine, by name."}


def test_the_ledger_export_has_a_neutral_name(signed_in):
    response = signed_in("secretariat").get("/secretariat/ledger.csv")
    disposition = response.headers["content-disposition"]
    assert "council" not in disposition.lower()
    assert re.search(r'filename="export-\d{4}-\d\d-\d\d\.csv"', disposition)
