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
