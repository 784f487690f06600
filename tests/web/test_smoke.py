def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "up"}


def test_home_lists_open_campaigns(client, make_campaign):
    make_campaign("my-survey")
    page = client.get("/").get_data(as_text=True)
    assert "/s/my-survey" in page
    assert "0800 1111" in page
