"""Sharing a campaign: QR codes that decode to the link, real A4 PDFs, group, conference
and personal links, and answers tagged with the link they came through."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import get_month_names
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from staff_seed import add_link, audit_actions, new_campaign

from survey.extensions import db
from survey.models import Draft, Invitation, Response
from tests.conftest import csrf_token_from

zxingcpp = pytest.importorskip("zxingcpp")

A4_POINTS = (595.28, 841.89)


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.fixture()
def sharer(app, staff_client, make_campaign):
    make_campaign("share-me", invitations=3)
    return staff_client("participation")


def test_png_qr_code_decodes_back_to_the_campaign_link(sharer):
    response = sharer.get("/staff/campaigns/share-me/qr.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert decode(Image.open(io.BytesIO(response.data))) == ["http://heard.test/s/share-me"]


def test_svg_qr_code_is_an_svg_of_the_same_matrix(sharer):
    import segno

    response = sharer.get("/staff/campaigns/share-me/qr.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<?xml") and b"<svg" in response.data
    assert b"Test campaign share-me" in response.data  # the title, for screen readers
    expected = segno.make("http://heard.test/s/share-me", error="m", boost_error=False)
    svg = io.BytesIO()
    expected.save(svg, kind="svg", scale=8, border=4, title="Test campaign share-me", xmldecl=True)
    assert response.data == svg.getvalue()


def test_poster_is_an_a4_pdf_whose_qr_code_decodes_to_the_link(sharer):
    response = sharer.get("/staff/campaigns/share-me/poster.pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        A4_POINTS, abs=0.5
    )
    text = page.extract_text()
    assert "Test campaign share-me" in text
    assert "http://heard.test/s/share-me" in text
    assert "Childline: 0800 1111" in text
    (image,) = page.images
    assert decode(image.image) == ["http://heard.test/s/share-me"]


def test_a_letter_for_each_unused_personal_link(app, sharer):
    with app.app_context():
        tokens = db.session.scalars(select(Invitation.token).order_by(Invitation.id)).all()
        first = db.session.scalar(select(Invitation).where(Invitation.token == tokens[0]))
        first.used_at = datetime.now(UTC)
        db.session.commit()
    response = sharer.get("/staff/campaigns/share-me/letters.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2  # the used link gets no letter
    for page, token in zip(reader.pages, tokens[1:], strict=True):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_POINTS, abs=0.5
        )
        assert f"http://heard.test/i/{token}" in page.extract_text()
        assert decode(page.images[0].image) == [f"http://heard.test/i/{token}"]
    assert ("invitations_exported", "share-me") in audit_actions(app)


def test_letter_with_a_non_latin_title_still_renders(app, staff_client, make_campaign):
    make_campaign("urdu")
    with app.app_context():
        from survey.models import Campaign

        db.session.scalar(select(Campaign)).title = "آپ کی رائے 2026 – “quotes”"
        db.session.commit()
    response = staff_client("participation").get("/staff/campaigns/urdu/letter.pdf")
    assert response.status_code == 200
    assert PdfReader(io.BytesIO(response.data)).pages[0].extract_text()


def test_group_link_counts_answers_for_its_group(app, client, sharer, journey, every_type_answers):
    token = csrf_token_from(sharer.get("/staff/campaigns/share-me/groups/new").text)
    response = sharer.post(
        "/staff/campaigns/share-me/groups/new",
        data={"csrf_token": token, "label": "Children in care 11-13", "cohort_size": "12"},
    )
    assert response.status_code == 302
    page = sharer.get("/staff/campaigns/share-me/share").text
    assert "Children in care 11-13" in page and "(12 asked)" in page
    code = page.split("http://heard.test/c/")[1].split("<")[0]
    # A child follows the group's short link and answers.
    followed = client.get(f"/c/{code}")
    assert followed.headers["Location"].endswith("/s/share-me")
    person = journey(client, slug="share-me")
    person.start()
    person.answer_all(every_type_answers)
    assert person.submit().status_code == 302
    with app.app_context():
        (answer,) = db.session.scalars(select(Response)).all()
        assert answer.link_id is not None
    # The next person on the same tablet, through the plain link, is not tagged.
    again = journey(client, slug="share-me")
    again.start()
    with app.app_context():
        drafts = db.session.scalars(select(Draft).order_by(Draft.id)).all()
        assert drafts[-1].link_id is None
    rates = sharer.get("/staff/campaigns/share-me/return-rates").text
    assert (
        'Children in care 11-13</td><td class="num">1</td><td class="num">12</td>'
        in rates.replace("\n", "")
    )


def test_conference_link_needs_date_type_and_chair(sharer):
    token = csrf_token_from(sharer.get("/staff/campaigns/share-me/conferences/new").text)
    response = sharer.post("/staff/campaigns/share-me/conferences/new", data={"csrf_token": token})
    assert response.status_code == 400
    for message in (
        "Enter the date of the conference",
        "Choose the type of conference",
        "Enter the name of the conference chair",
    ):
        assert message in response.text
    held = datetime.now(UTC).date() - timedelta(days=3)
    good = sharer.post(
        "/staff/campaigns/share-me/conferences/new",
        data={
            "csrf_token": token,
            "held_on": held.isoformat(),
            "conference_type": "rcpc",
            "chair": "Chris Chair",
        },
    )
    assert good.status_code == 302
    page = sharer.get("/staff/campaigns/share-me/share").text
    assert f"{held.day} {held:%b %Y}, RCPC, chair Chris Chair" in page


@pytest.mark.parametrize("held_on", ["0001-01-01", "2999-12-31"])
def test_a_conference_date_far_from_today_is_refused(sharer, held_on):
    """Found by a probe: a conference "held on 1 Jan 0001" was accepted."""
    token = csrf_token_from(sharer.get("/staff/campaigns/share-me/conferences/new").text)
    data = {"csrf_token": token, "held_on": held_on, "conference_type": "icpc", "chair": "A"}
    response = sharer.post("/staff/campaigns/share-me/conferences/new", data=data)
    assert response.status_code == 400
    assert "Enter a date within a year of today" in response.text


def test_a_chair_name_is_stored_without_control_or_direction_characters(app, sharer):
    from survey.models import CampaignLink

    token = csrf_token_from(sharer.get("/staff/campaigns/share-me/conferences/new").text)
    data = {
        "csrf_token": token,
        "held_on": datetime.now(UTC).date().isoformat(),
        "conference_type": "icpc",
        "chair": "  Chris\u202e Chair\x00 ",
    }
    assert sharer.post("/staff/campaigns/share-me/conferences/new", data=data).status_code == 302
    with app.app_context():
        [link] = db.session.scalars(select(CampaignLink)).all()
        assert link.chair == "Chris Chair"


def test_unknown_group_code_shows_a_friendly_page(client):
    response = client.get("/c/nosuchcode")
    assert response.status_code == 404
    assert "This link does not work" in response.text


def test_shared_links_need_the_anonymous_link(app, staff_client):
    now = datetime.now(UTC)
    new_campaign(
        app, "personal-only", now, now + timedelta(days=5), anonymous_link=False, invitations=2
    )
    client = staff_client("participation")
    token = csrf_token_from(client.get("/staff/campaigns/personal-only/groups/new").text)
    response = client.post(
        "/staff/campaigns/personal-only/groups/new", data={"csrf_token": token, "label": "Group"}
    )
    assert response.status_code == 400
    assert "Shared links need" in response.text
    assert client.get("/staff/campaigns/personal-only/qr.png").status_code == 404


def test_personal_links_csv_names_each_links_group(app, sharer):
    with app.app_context():
        from survey.models import Campaign

        campaign_id = db.session.scalar(select(Campaign.id))
    group_id, _ = add_link(app, campaign_id, label="Foster carers east")
    token = csrf_token_from(sharer.get("/staff/campaigns/share-me/invitations/new").text)
    response = sharer.post(
        "/staff/campaigns/share-me/invitations/new",
        data={"csrf_token": token, "number": "2", "group": str(group_id)},
    )
    assert response.status_code == 302
    rows = list(
        csv.DictReader(io.StringIO(sharer.get("/staff/campaigns/share-me/invitations.csv").text))
    )
    assert len(rows) == 5
    assert [r["group"] for r in rows] == ["", "", "", "Foster carers east", "Foster carers east"]
    assert all(r["link"] == f"http://heard.test/i/{r['code']}" for r in rows)


def test_letters_print_the_address_block_in_the_language_chosen(
    app, staff_client, make_campaign, monkeypatch
):
    from survey.models import Campaign

    monkeypatch.setitem(app.config, "COUNCIL_ADDRESS", "Participation Team; 1 High Street; EX1 1AA")
    make_campaign("lettered", closes_in=timedelta(days=30), invitations=2)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "lettered"))
        campaign.languages = ["en", "pl", "ur"]
        db.session.commit()
    client = staff_client("participation")
    share = client.get("/staff/campaigns/lettered/share").text
    assert "/staff/campaigns/lettered/letters.pdf?language=pl" in share
    months_pl = tuple(get_month_names("wide", context="format", locale="pl").values())
    for language in ("pl", "en"):
        body = client.get(f"/staff/campaigns/lettered/letters.pdf?language={language}").data
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]
        assert len(pages) == 2
        for text in pages:
            assert "Participation Team" in text and "1 High Street" in text and "EX1 1AA" in text
            assert any(month in text for month in months_pl) is (language == "pl")
            if language == "pl":
                assert "Childline" in text and "Childline: 0800 1111 (free" not in text
    one = PdfReader(io.BytesIO(client.get("/staff/campaigns/lettered/letter.pdf?language=pl").data))
    assert any(month in one.pages[0].extract_text() for month in months_pl)


def test_links_sent_to_people_on_the_invitation_list_are_not_handed_out_again(
    app, staff_client, make_campaign
):
    """Found by a staff trial: the personal links CSV and the letters for unused links also
    held the links just emailed to named people, with no name beside them; handed to someone
    else, one would answer as that person. They hold only the links made to hand out."""
    from survey.invitations.importing import add_invitees
    from survey.models import Campaign, Invitee

    make_campaign("mixed", closes_in=timedelta(days=30), invitations=3)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "mixed"))
        add_invitees(campaign, b"name,email\nAmy,a@example.org\nBartek,b@example.org\n", None)
        sent = set(
            db.session.scalars(
                select(Invitation.token).join(Invitee, Invitee.invitation_id == Invitation.id)
            )
        )
    assert len(sent) == 2
    client = staff_client("participation")
    rows = list(
        csv.DictReader(io.StringIO(client.get("/staff/campaigns/mixed/invitations.csv").text))
    )
    assert len(rows) == 3 and not {row["code"] for row in rows} & sent
    letters = PdfReader(io.BytesIO(client.get("/staff/campaigns/mixed/letters.pdf").data))
    text = " ".join(page.extract_text() for page in letters.pages)
    assert len(letters.pages) == 3 and not any(token in text for token in sent)
    share = " ".join(client.get("/staff/campaigns/mixed/share").text.split())
    assert "5 personal links, 0 used" in share
    assert "2 of them were sent to people on the invitation list" in share


def test_the_poster_says_how_long_the_survey_takes_as_the_survey_does(
    app, staff_client, make_campaign
):
    from survey.library import library

    make_campaign("timed", "cic-wellbeing-11-17")
    with app.app_context():
        minutes = library().get("cic-wellbeing-11-17").minutes
    poster = staff_client("participation").get("/staff/campaigns/timed/poster.pdf")
    text = PdfReader(io.BytesIO(poster.data)).pages[0].extract_text()
    assert f"about {minutes} minutes" in text.replace("\n", " ") and "a few minutes" not in text


def test_an_urdu_letter_is_set_in_a_font_with_every_urdu_letter_and_shaped(
    app, staff_client, make_campaign
):
    """DejaVu Sans lacks heh goal, yeh barree and the Urdu full stop, and without shaping
    the letters of the script print unjoined: Urdu letters are set in the shipped Noto Naskh
    Arabic, shaped by HarfBuzz, and their words come back out of the PDF as typed."""
    import io

    from flask_babel import force_locale
    from flask_babel import gettext as _
    from pypdf import PdfReader

    from survey.extensions import db
    from survey.models import Campaign

    make_campaign("urdu-letters", closes_in=timedelta(days=30), invitations=1)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "urdu-letters"))
        campaign.languages = ["en", "ur"]
        db.session.commit()
    with app.test_request_context(), force_locale("ur"):
        intro = _("We would like to know what you think, so that we can make things better.")
    assert "ہ" in intro or "ے" in intro  # the letters DejaVu Sans does not have
    letters = "/staff/campaigns/urdu-letters/letters.pdf?language=ur"
    body = staff_client("participation").get(letters).data
    reader = PdfReader(io.BytesIO(body))
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "NotoNaskhArabic" in fonts
    assert intro in reader.pages[0].extract_text()


def test_each_languages_letters_download_under_their_own_name(app, staff_client, make_campaign):
    """Found by a staff trial: the English and the Polish letter saved over each other."""
    from survey.models import Campaign

    make_campaign("named", closes_in=timedelta(days=30), invitations=1)
    with app.app_context():
        db.session.scalar(select(Campaign).where(Campaign.slug == "named")).languages = ["en", "pl"]
        db.session.commit()
    client = staff_client("participation")
    names = {
        client.get(f"/staff/campaigns/named/{page}?language={code}").headers["Content-Disposition"]
        for page in ("letter.pdf", "letters.pdf")
        for code in ("en", "pl")
    }
    assert len(names) == 4, names
