"""Issue 17, part 2: personal codes short enough to read aloud and type on a phone, from
an alphabet without look-alikes, with at least 64 bits of entropy."""

from __future__ import annotations

import math
import re


def test_codes_are_four_groups_of_four_without_look_alikes_and_over_64_bits():
    from survey.staff.codes import ALPHABET, CODE_BITS, MIN_BITS, random_code

    codes = {random_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"([A-Z0-9]{4}-){3}[A-Z0-9]{4}", code) for code in codes)
    used = set("".join(codes).replace("-", ""))
    assert used <= set(ALPHABET) and not used & set("0O1IL2Z5S8BU")
    assert len(ALPHABET) == 24 and round(CODE_BITS, 1) == 73.4 >= MIN_BITS
    assert math.isclose(CODE_BITS, 16 * math.log2(24))


def test_a_code_typed_in_lower_case_with_spaces_opens_the_same_invitation(
    make_campaign, journey, client
):
    _, [token] = make_campaign(invitations=1, anonymous_link=False)
    typed = token.lower().replace("-", " ")
    assert client.get(f"/i/{typed}").status_code == 200
    person = journey(client)
    person.open_invitation(typed.replace(" ", ""))


def test_another_spelling_of_an_existing_code_is_refused_in_any_campaign(app, make_campaign):
    """ "J4GQEDTXQ46X9QWN" is the link J4GQ-EDTX-Q46X-9QWN: added again, to this campaign
    or another, a letter would open the wrong survey or use up another child's link."""
    import pytest

    from survey.extensions import db
    from survey.models import Campaign, Invitation
    from survey.staff.services import CampaignError, add_invitations

    _, [token] = make_campaign("first", invitations=1, anonymous_link=False)
    make_campaign("second", anonymous_link=False)
    with app.test_request_context():
        second = db.session.query(Campaign).filter_by(slug="second").one()
        first = db.session.query(Campaign).filter_by(slug="first").one()
        for spelling in (token.replace("-", ""), token.lower(), token.lower().replace("-", " ")):
            for campaign in (first, second):
                with pytest.raises(CampaignError, match="already used"):
                    add_invitations(campaign, tokens=[spelling])
                db.session.rollback()
        with pytest.raises(CampaignError, match="listed twice"):
            add_invitations(second, tokens=["QGY976VHTQGJWYNY", "qgy9-76vh-tqgj-wyny"])
        db.session.rollback()
        [made] = add_invitations(second, tokens=["qgy976vhtqgjwyny"])
        assert made.token == "QGY9-76VH-TQGJ-WYNY"  # stored as a link is looked up
        assert db.session.query(Invitation).count() == 2


def test_a_code_stored_in_an_older_spelling_still_opens_its_invitation(
    app, make_campaign, journey, client
):
    """Before 2026-12-05 a council's code was stored as typed: "qgy976vhtqgjwyny" is in the
    shape of Heard's own codes, so its link is now looked up as QGY9-76VH-TQGJ-WYNY. The
    letter already printed with the old spelling must still open its questionnaire, in
    that spelling and in Heard's."""
    from survey.extensions import db
    from survey.models import Invitation

    _, [token] = make_campaign(invitations=1, anonymous_link=False)
    old = "qgy976vhtqgjwyny"
    with app.app_context():
        invitation = db.session.query(Invitation).filter_by(token=token).one()
        invitation.token = old  # as the code was stored before 2026-12-05
        db.session.commit()
    for spelling in (old, "QGY9-76VH-TQGJ-WYNY", "qgy9 76vh tqgj wyny"):
        assert client.get(f"/i/{spelling}").status_code == 200, spelling
    journey(client).open_invitation(old)


def test_another_spelling_of_a_code_stored_the_old_way_is_refused(app, make_campaign):
    import pytest

    from survey.extensions import db
    from survey.models import Campaign, Invitation
    from survey.staff.services import CampaignError, add_invitations

    _, [token] = make_campaign("first", invitations=1, anonymous_link=False)
    with app.test_request_context():
        db.session.query(Invitation).filter_by(token=token).one().token = "qgy976vhtqgjwyny"
        db.session.commit()
        campaign = db.session.query(Campaign).filter_by(slug="first").one()
        for spelling in ("QGY9-76VH-TQGJ-WYNY", "QGY976VHTQGJWYNY", "qgy9-76vh-tqgj-wyny"):
            with pytest.raises(CampaignError, match="already used"):
                add_invitations(campaign, tokens=[spelling])
            db.session.rollback()


def test_a_councils_own_code_is_only_ever_found_exactly(app, make_campaign, client):
    """ "CASE-0042-ALPHA" and "CASE0042ALPHA" may be two children's codes: only Heard's own
    shape of code is looked up in other spellings."""
    from survey.extensions import db
    from survey.models import Invitation

    _, [token] = make_campaign(invitations=1, anonymous_link=False)
    with app.app_context():
        invitation = db.session.query(Invitation).filter_by(token=token).one()
        invitation.token = "CASE0042ALPHA"
        db.session.commit()
    assert client.get("/i/CASE-0042-ALPHA").status_code == 404
    assert client.get("/i/case0042alpha").status_code == 404
    assert client.get("/i/CASE0042ALPHA").status_code == 200


def test_the_own_codes_hint_says_capitals_count(make_campaign, staff_client):
    """A council pasting its own codes is told they are exact, as the lookup above is."""
    slug, _ = make_campaign(invitations=0)
    page = staff_client("participation").get(f"/staff/campaigns/{slug}/invitations/new")
    assert page.status_code == 200
    assert "Capitals count: ABC and abc are two codes." in page.get_data(as_text=True)
