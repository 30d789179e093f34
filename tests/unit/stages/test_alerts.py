def test_a_reporting_clause_follows_the_outlet_in_a_headline() -> None:
    from streams.stages.alerts import _attribution

    assert _attribution("Reuters", "citing two intelligence sources") == "Reuters, citing two intelligence sources"
    assert _attribution("Oleksandr Syrskyi", "Kyiv's army chief") == "Kyiv's army chief Oleksandr Syrskyi"
    assert _attribution("Alexei Smirnov", None) == "Alexei Smirnov"
