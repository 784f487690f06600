"""`heard sso-link EMAIL`: before linking, the administrator is shown which council account
(its issuer, subject and when it was refused) goes to which Heard account (its name, email
and roles), so the wrong person cannot be linked by mistake."""

from __future__ import annotations

import pytest


@pytest.fixture()
def refused(council, make_user):
    """A local account, and the council account with its email that was refused."""
    given = council()
    make_user("participation+qa_reviewer", email="sam@example.org")  # named "Participation+..."
    given.provider.person("p-sam", "sam@example.org", ["heard-qa"])
    assert given.sign_in("p-sam").status_code == 403
    return given


def _prompt(result) -> str:
    return " ".join(result.output.split())


def test_the_prompt_names_the_council_account_and_the_heard_account(refused):
    cli = refused.app.test_cli_runner()

    declined = cli.invoke(args=["sso-link", "sam@example.org"], input="n\n")

    said = _prompt(declined)
    assert declined.exit_code == 1  # aborted
    assert f"subject p-sam at {refused.provider.issuer}" in said
    assert "refused when it signed in as sam@example.org" in said
    assert "UK time" in said
    assert "Heard account: Participation+Qa_Reviewer <sam@example.org>" in said
    assert (
        "roles: participation, qa_reviewer" in said or "roles: qa_reviewer, participation" in said
    )
    assert "Link this council account to this Heard account?" in said
    assert refused.user("p-sam") is None  # nothing linked

    accepted = cli.invoke(args=["sso-link", "sam@example.org"], input="y\n")

    assert accepted.exit_code == 0, accepted.output
    assert "Linked sam@example.org to subject p-sam" in accepted.output
    assert refused.user("p-sam").email == "sam@example.org"


def test_with_yes_the_output_still_names_both_accounts(refused):
    done = refused.app.test_cli_runner().invoke(args=["sso-link", "SAM@example.org", "--yes"])

    said = _prompt(done)
    assert done.exit_code == 0, done.output
    assert f"subject p-sam at {refused.provider.issuer}" in said
    assert "Heard account: Participation+Qa_Reviewer <sam@example.org>" in said


def test_another_council_account_that_tried_the_same_email_is_named_too(refused):
    refused.provider.person("p-stranger", "sam@example.org", ["heard-qa"])
    assert refused.new_browser().sign_in("p-stranger").status_code == 403
    cli = refused.app.test_cli_runner()

    declined = cli.invoke(args=["sso-link", "sam@example.org"], input="n\n")

    said = _prompt(declined)
    assert "subject p-stranger" in said.split("Heard account:")[0]  # the one to be linked
    assert "Other council accounts have also tried to sign in as sam@example.org" in said
    assert "subject p-sam" in said
    assert refused.user("p-stranger") is None and refused.user("p-sam") is None


def test_an_unknown_email_is_a_clear_error_before_any_question(refused):
    result = refused.app.test_cli_runner().invoke(args=["sso-link", "nobody@example.org"])

    assert result.exit_code == 1
    assert "No Heard account has the email nobody@example.org" in result.output
    assert "Link this council account" not in result.output
