from diagnosis.core.industry import enrich_profile, profile_problems


def test_lookup_and_tags(bundle):
    table = bundle.industries
    assert table.get("2110").name["zh_CN"] == "木质家具制造"
    assert (
        table.tags_for("2614") == ("chemicals",)
        and table.tags_for("3311") == ()
        and table.tags_for(None) == ()
    )
    assert set(table.tag_labels) == {
        "furniture",
        "panels",
        "chemicals",
        "cement",
        "copper",
        "down",
        "glass",
        "lighting",
    }
    assert [i.code for i in table.all()] == sorted(i.code for i in table.all())


def test_profile_is_enriched_with_tags_from_the_code(bundle):
    profile = enrich_profile(
        {"industry_code": "3251", "employees": 50, "park": None, "industry_tags": ["furniture"]},
        bundle.industries,
    )
    assert profile == {"industry_code": "3251", "employees": 50, "industry_tags": ["copper"]}


def test_profile_problems():
    assert profile_problems(
        {
            "industry_code": "211",
            "employees": -1,
            "above_designated_size": "yes",
            "revenue_band": "huge",
            "park": "园区",
            "colour": "red",
        }
    ) == [
        ("above_designated_size", "wrong_type", {}),
        ("colour", "unknown_field", {}),
        ("employees", "wrong_type", {}),
        ("industry_code", "wrong_type", {}),
        ("revenue_band", "unknown_option", {}),
    ]
