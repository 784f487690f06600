"""Given a saved draft, when the person opens the start page again, then "carry on" goes to
the first page that still needs an answer under the routing as it is now."""

from tests.conftest import csrf_token_from


def test_carry_on_skips_a_page_the_routing_now_hides(client, make_campaign):
    make_campaign()
    token = csrf_token_from(client.get("/s/example").text)
    client.post("/s/example", data={"csrf_token": token})
    page = client.get("/s/example/q/feelings").text
    client.post(
        "/s/example/q/feelings",
        data={
            "feel-today": "4",
            "feel-safe": "yes",
            "action": "continue",
            "csrf_token": csrf_token_from(page),
        },
    )
    start = client.get("/s/example").text
    # "worries" is shown only when not feeling safe: carry on goes straight to "choices".
    assert 'href="/s/example/q/choices"' in start
    assert "/q/worries" not in start


def test_no_carry_on_link_before_any_answer(client, make_campaign):
    make_campaign()
    assert "Carry on where you left off" not in client.get("/s/example").text
