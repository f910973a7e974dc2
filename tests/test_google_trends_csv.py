"""Website exports in every interface language, read from real downloads (tests/data/google_trends/exports)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attention import (
    DataError,
    read_google_trends_csv,
    read_google_trends_geo_csv,
    read_google_trends_related_csv,
)
from attention.collectors.google_trends import parse_google_trends

DATA = Path(__file__).parent / "data" / "google_trends"
EXPORTS = DATA / "exports"


def _series(frame, term):
    return frame[frame["term"] == term].set_index("date")["value"]


def _flags(frame, term):
    return frame[frame["term"] == term].set_index("date")["flags"]


def _utc(*stamps):
    return pd.DatetimeIndex(pd.to_datetime(list(stamps), utc=True))


def test_the_english_export_is_read_exactly():
    obs = read_google_trends_csv(DATA / "stock_market_crash_US_monthly_2004_2025.multiTimeline.csv")
    assert len(obs) == 256
    assert set(obs["term"]) == {"stock market crash"} and set(obs["metric"]) == {"search_interest"}
    assert set(obs["source"].astype(str)) == {"google_trends"}
    assert obs.attrs == {"category": "All categories", "geo": {"stock market crash": "United States"},
                         "resolution": "M", "period": "Month"}
    values = obs.set_index("date")["value"]
    assert values.index.equals(pd.date_range("2004-01-01", "2025-04-01", freq="MS", tz="UTC"))
    assert values.idxmax() == pd.Timestamp("2025-04-01", tz="UTC") and values.max() == 100
    assert [values[f"{m}-01"] for m in ("2008-10", "2018-02", "2020-03", "2024-08")] == [32, 60, 52, 38]
    assert values.iloc[:3].tolist() == [15, 20, 22]
    assert (obs["flags"] == "").all() and values.notna().all()


@pytest.mark.parametrize(
    ("name", "category", "geo", "resolution", "period", "first", "last"),
    [
        ("de_monthly_R_SPSS_Stata_worldwide.csv", "Alle Kategorien",
         {"R": "Weltweit", "SPSS": "Weltweit", "Stata": "Weltweit"}, "M", "Monat",
         ("2004-01-01", "R", 42.0), ("2005-12-01", "Stata", 8.0)),
        ("pt_weekly_python_html_java_brasil.csv", "Todas as categorias",
         {"python": "Brasil", "html": "Brasil", "java": "Brasil", "Microsoft SQL Server": "Brasil",
          "Microsoft Excel": "Brasil"}, "W", "Semana",
         ("2019-05-19", "Microsoft Excel", 98.0), ("2019-08-25", "Microsoft Excel", 100.0)),
        ("es_weekly_comprar_online_chile.csv", "Todas las categorías", {"comprar online": "Chile"}, "W", "Semana",
         ("2020-02-23", "comprar online", 22.0), ("2020-04-26", "comprar online", 61.0)),
        ("it_monthly_allianz_prima_quoted.csv", "Tutte le categorie",
         {'"Allianz"': "Italia", '"Prima Assicurazioni"': "Italia"}, "M", "Mese",
         ("2020-01-01", '"Allianz"', 70.0), ("2025-06-01", '"Prima Assicurazioni"', 23.0)),
        ("ja_monthly_cupcake_all_countries.csv", "すべてのカテゴリ", {"カップケーキ": "すべての国"}, "M", "月",
         ("2013-01-01", "カップケーキ", 82.0), ("2013-04-01", "カップケーキ", 88.0)),
        ("zh_tw_weekly_cold_taiwan.csv", "所有類別", {"感冒": "台灣"}, "W", "週",
         ("2016-01-31", "感冒", 82.0), ("2016-02-28", "感冒", 88.0)),
        ("uk_weekly_pandemic_ukraine.csv", "Усі категорії", {"что такое пандемия": "Україна"}, "W", "Тиждень",
         ("2020-02-23", "что такое пандемия", 17.0), ("2020-05-31", "что такое пандемия", 0.0)),
        ("ko_monthly_games_category_geo_only.csv", "게임", {"Geo: 대한민국": ""}, "M", "월",
         ("2008-04-01", "Geo: 대한민국", 17.0), ("2025-12-01", "Geo: 대한민국", 76.0)),
        ("vi_monthly_vnindex_new_export.csv", "", {"Vn-Index": ""}, "M", "Tháng",
         ("2004-01-01", "Vn-Index", 0.0), ("2025-11-01", "Vn-Index", 9.0)),
    ],
)
def test_every_language_reads_into_the_same_frame(name, category, geo, resolution, period, first, last):
    obs = read_google_trends_csv(EXPORTS / name)
    assert obs.attrs == {"category": category, "geo": geo, "resolution": resolution, "period": period}
    assert list(obs.columns) == ["date", "source", "term", "metric", "value", "flags"]
    for day, term, value in (first, last):
        assert _series(obs, term)[pd.Timestamp(day, tz="UTC")] == value
    assert obs["value"].notna().all() and obs["value"].between(0, 100).all()


def test_a_weekly_export_keeps_sunday_week_starts_and_exact_values():
    obs = read_google_trends_csv(EXPORTS / "es_weekly_comprar_online_chile.csv")
    values = _series(obs, "comprar online")
    assert (values.index.day_of_week == 6).all()  # Google weeks start on Sunday
    assert values.tolist() == [22, 32, 39, 41, 92, 100, 72, 90, 71, 61]


def test_a_chinese_category_line_with_a_full_width_colon_and_a_lower_case_header():
    obs = read_google_trends_csv(EXPORTS / "zh_cn_category_fr_semaine_toilet_paper.csv")
    assert obs.attrs["category"] == "所有类别" and obs.attrs["period"] == "semaine"
    assert obs.attrs["geo"] == {"toilet paper": "USA"}
    values = _series(obs, "toilet paper")
    assert values.iloc[5] == 100 and values.iloc[-1] == 0
    assert _flags(obs, "toilet paper").iloc[-1] == "below_threshold"
    # The file jumps from 2020-03-22 to 2022-04-03 (rows kept from a longer export): still whole Sunday weeks.
    assert obs.attrs["resolution"] == "W"


def test_minute_exports_with_offsets_are_converted_to_utc():
    obs = read_google_trends_csv(EXPORTS / "id_8minute_cars_indonesia.csv")
    assert obs.attrs["resolution"] == "8min" and obs.attrs["period"] == "Waktu"
    assert obs.attrs["category"] == "Semua kategori"
    fortuner = _series(obs, "Toyota Fortuner")
    # 2024-10-21T08:28+07:00 is 01:28 UTC.
    assert fortuner.index[0] == pd.Timestamp("2024-10-21 01:28", tz="UTC")
    assert fortuner.idxmax() == pd.Timestamp("2024-10-21 19:28", tz="UTC") and fortuner.max() == 100
    assert _series(obs, "Lexus LX570").eq(0).all()
    assert _flags(obs, "Lexus LX570").eq("below_threshold").all()


def test_hourly_times_without_an_offset_need_a_time_zone(tmp_path):
    path = tmp_path / "multiTimeline.csv"
    text = (EXPORTS / "id_8minute_cars_indonesia.csv").read_text(encoding="utf-8").replace("+07:00", "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"^tz: multiTimeline\.csv has times without a UTC offset"):
        read_google_trends_csv(path)
    obs = read_google_trends_csv(path, tz="Asia/Jakarta")
    assert _series(obs, "Toyota Fortuner").index[0] == pd.Timestamp("2024-10-21 01:28", tz="UTC")
    with pytest.raises(DataError, match=r"^tz: cannot use 'Mars/Olympus'"):
        read_google_trends_csv(path, tz="Mars/Olympus")


def test_below_one_in_every_spelling_follows_the_api_parsers_convention(tmp_path):
    # The same cell as the website writes it in English, French (no-break space), full-width and re-saved.
    path = tmp_path / "multiTimeline.csv"
    rows = "".join(f"2024-01-{d:02d},{cell},5\n" for d, cell in
                   zip((7, 14, 21, 28), ("<1", "<\u00a01", "\uff1c1", " < 1 ")))
    path.write_text("Catégorie : Toutes catégories\n\nSemaine,small caps: (France),b: (France)\n" + rows,
                    encoding="utf-8")
    obs = read_google_trends_csv(path)
    assert obs.attrs["category"] == "Toutes catégories"
    assert _series(obs, "small caps").tolist() == [0.0] * 4
    assert _flags(obs, "small caps").tolist() == ["below_threshold"] * 4
    # The API parser gives a below-one point (0 with data) exactly the same value and flag.
    api = parse_google_trends({"default": {"timelineData": [{"time": "1704585600", "value": [0, 5],
                                                             "hasData": [True, True]}]}}, ["small caps", "b"])
    row = api[api["term"] == "small caps"].iloc[0]
    assert (row["value"], row["flags"]) == (0.0, "below_threshold")


def test_a_spreadsheet_resave_with_semicolons_and_padding(tmp_path):
    path = tmp_path / "multiTimeline.csv"
    path.write_text("Category: All categories;;\n;;\nWeek;small cap stocks: (United States);AI stocks: (United States);\n"
                    "2024-01-07;100;3;\n2024-01-14;;2;\n", encoding="utf-8")
    obs = read_google_trends_csv(path)
    assert obs.attrs["category"] == "All categories"  # no trailing delimiter kept
    small = _series(obs, "small cap stocks")
    assert small.iloc[0] == 100 and np.isnan(small.iloc[1])  # an empty cell is "no data", never 0
    assert _series(obs, "AI stocks").tolist() == [3.0, 2.0]


def test_what_is_not_a_timeline_export_is_named(tmp_path):
    other = tmp_path / "prices.csv"
    other.write_text("date,close\n2024-01-02,100.5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^path: prices\.csv is not a Google Trends export \(found header"):
        read_google_trends_csv(other)
    with pytest.raises(DataError, match=r"^path: cannot read .*missing\.csv"):
        read_google_trends_csv(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("Category: All categories\n\nDay,x: (Worldwide)\n2024-01-01,lots\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^path: non-numeric values in bad\.csv \(column 'x': 'lots'\)"):
        read_google_trends_csv(bad)
    with pytest.raises(DataError, match=r"use read_google_trends_geo_csv"):
        read_google_trends_csv(EXPORTS / "ru_geomap_regions.csv")
    with pytest.raises(DataError, match=r"use read_google_trends_geo_csv"):
        read_google_trends_csv(EXPORTS / "en_geomap_dma_no_category.csv")
    with pytest.raises(DataError, match=r"use read_google_trends_related_csv"):
        read_google_trends_csv(EXPORTS / "en_related_queries_top_rising.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Catégorie: Toutes\n\nSemaine,x: (France)\n2024-01-07,1\n".encode("cp1252"))
    with pytest.raises(DataError, match=r"^path: latin\.csv is not UTF-8"):
        read_google_trends_csv(latin)
    dates = tmp_path / "dates.csv"
    dates.write_text("Category: All categories\n\nDay,x: (Worldwide)\n2024-01-01,1\n2024-13-45x,2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^path: unexpected period values in dates\.csv \(e\.g\. '2024-13-45x'"):
        read_google_trends_csv(dates)
    dates.write_text("Category: All categories\n\nDay,x: (Worldwide)\n2024-02-30,1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^path: impossible dates in dates\.csv"):
        read_google_trends_csv(dates)


def test_interest_by_region_in_russian_keeps_no_data_missing():
    geo = read_google_trends_geo_csv(EXPORTS / "ru_geomap_regions.csv")
    assert geo.attrs == {"category": "Все категории", "level": "Регионы",
                         "geo": {"нижний новгород достопримечательности": ""}, "share": False}
    values = geo.set_index("region")["value"]
    assert values["Нижегородская область"] == 100 and values["город Санкт-Петербург"] == 3
    assert values[["Магаданская область", "Республика Мордовия", "Курская область"]].isna().all()
    assert len(geo) == 8


def test_interest_by_region_without_a_category_line():
    geo = read_google_trends_geo_csv(EXPORTS / "en_geomap_dma_no_category.csv")
    assert geo.attrs["level"] == "DMA" and geo.attrs["category"] == ""
    assert geo.attrs["geo"] == {"Solar eclipse": "7/25/17 - 8/1/17"}
    assert geo["region"].tolist() == ["Chattanooga TN", "Idaho Falls-Pocatello ID", "Bend OR", "Billings, MT",
                                      "Laredo TX"]
    assert geo["value"].tolist() == [100, 98, 93, 53, 3]
    with pytest.raises(DataError, match=r"is not a Google Trends export"):
        read_google_trends_geo_csv(EXPORTS / "de_monthly_R_SPSS_Stata_worldwide.csv")


def test_interest_by_region_shares_when_terms_are_compared(tmp_path):
    path = tmp_path / "geoMap.csv"
    path.write_text("Category: All categories\n\nRegion,small caps: (1/1/25 - 12/31/25),AI stocks: (1/1/25 - 12/31/25)\n"
                    "Texas,62%,38%\nVermont,<1%,\n", encoding="utf-8")
    geo = read_google_trends_geo_csv(path)
    assert geo.attrs["share"] is True
    small = geo[geo["term"] == "small caps"].set_index("region")
    assert small.loc["Texas", "value"] == 62 and small.loc["Vermont", "value"] == 0
    assert small.loc["Vermont", "flags"] == "below_threshold"
    assert np.isnan(geo[(geo["term"] == "AI stocks") & (geo["region"] == "Vermont")]["value"].item())


def test_related_queries_top_and_rising():
    rel = read_google_trends_related_csv(EXPORTS / "en_related_queries_top_rising.csv")
    assert rel.attrs == {"category": "All categories", "term": "PM MODI: (7/30/14 - 8/30/20, India)"}
    top = rel[rel["section"] == "top"]
    assert top["query"].tolist() == ["pm narendra modi", "narendra modi", "pm modi narendra modi", "pm india"]
    assert top["value"].tolist() == [100, 98, 98, 38] and top["rank"].tolist() == [1, 2, 3, 4]
    rising = rel[rel["section"] == "rising"]
    assert len(rising) == 3 and rising["value"].isna().all() and (rising["flags"] == "breakout").all()
    with pytest.raises(DataError, match=r"is not a Google Trends export .*before any TOP or RISING line"):
        read_google_trends_related_csv(EXPORTS / "ru_geomap_regions.csv")
