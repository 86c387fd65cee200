"""The indicator lexicon (analysis/lexicons/indicators.yaml) as matching sees it.

Phrases are the words a figure's indicator is read from, as bulletins, work reports and
plan tables print them (after the extractor strips verbs and growth cues).  Some are taken
from the development corpus and the seeds, the others are written in the same style.
"""
from __future__ import annotations

import re

import pytest

from analysis import lexicons
from analysis.checks.relations import load_relations
from analysis.exceptions import LexiconError
from analysis.figures import text

# (printed phrase, canonical indicator); comments name where the wording comes from.
PHRASES = [
    # GDP and the three strata of industry (bulletins, plan tables)
    ("地区生产总值", "地区生产总值"),
    ("全年完成地区生产总值", "地区生产总值"),                 # corpus 10
    ("预计全市地区生产总值", "地区生产总值"),                 # corpus 15
    ("全省地区生产总值", "地区生产总值"),
    ("国内生产总值", "地区生产总值"),
    ("全市生产总值", "地区生产总值"),
    ("GDP", "地区生产总值"),
    ("经济总量", "地区生产总值"),
    ("第一产业增加值", "第一产业增加值"),
    ("第二产业增加值", "第二产业增加值"),
    ("第三产业增加值", "第三产业增加值"),
    ("第二产业", "第二产业增加值"),                           # 第二产业增长6.1%
    ("服务业增加值", "第三产业增加值"),
    ("人均地区生产总值", "人均地区生产总值"),
    ("人均生产总值", "人均地区生产总值"),                     # corpus 10
    ("全省人均GDP", "人均地区生产总值"),
    ("全年实现农林牧渔业增加值", "农林牧渔业增加值"),         # corpus 11
    ("全部工业增加值", "全部工业增加值"),
    ("全市规模以上工业增加值", "规模以上工业增加值"),
    ("规上工业增加值", "规模以上工业增加值"),
    ("规模以上工业", "规模以上工业增加值"),                   # 规模以上工业增长5.8%
    ("规上工业总产值", "规模以上工业总产值"),
    ("建筑业增加值", "建筑业增加值"),
    ("民营经济增加值", "民营经济增加值"),
    ("全员劳动生产率", "全员劳动生产率"),
    # investment and consumption
    ("全社会固定资产投资", "全社会固定资产投资"),
    ("固定资产投资", "固定资产投资"),
    ("全区固定资产投资总额", "固定资产投资"),
    ("第二产业投资", "第二产业投资"),                         # corpus 14
    ("房地产开发投资", "房地产开发投资"),
    ("全年完成工业投资", "工业投资"),                         # corpus 09
    ("社会消费品零售总额", "社会消费品零售总额"),
    ("城镇消费品零售额", "城镇消费品零售额"),
    ("乡村消费品零售额", "乡村消费品零售额"),
    ("商品零售", "商品零售额"),
    ("餐饮收入", "餐饮收入"),
    # public finance
    ("一般公共预算收入", "一般公共预算收入"),
    ("地方一般公共预算收入", "一般公共预算收入"),
    ("一般公共预算总收入", "财政总收入"),
    ("财政总收入", "财政总收入"),
    ("全市一般公共预算支出", "一般公共预算支出"),
    ("税收收入", "税收收入"),
    # prices: the indicator is the price, not the word 上涨
    ("居民消费价格", "居民消费价格"),
    ("全市居民消费价格总指数", "居民消费价格"),
    ("城区居民消费价格", "居民消费价格"),                     # corpus 12
    ("CPI", "居民消费价格"),
    ("工业生产者出厂价格", "工业生产者出厂价格"),
    ("PPI", "工业生产者出厂价格"),
    ("食品烟酒类", "食品烟酒类价格"),
    ("衣着类", "衣着类价格"),
    ("衣著类", "衣着类价格"),                                 # traditional-script bulletin, corpus 12
    ("居住类", "居住类价格"),
    ("交通和通信类", "交通通信类价格"),                       # corpus 11
    ("教育文化和娱乐类", "教育文化娱乐类价格"),
    ("医疗保健类", "医疗保健类价格"),
    ("其他用品和服务", "其他用品及服务类价格"),
    # income, population, employment
    ("全体居民人均可支配收入", "居民人均可支配收入"),
    ("居民人均可支配收入", "居民人均可支配收入"),
    ("城镇居民人均可支配收入", "城镇居民人均可支配收入"),
    ("城镇常住居民人均可支配收入", "城镇居民人均可支配收入"),
    ("农村居民人均可支配收入", "农村居民人均可支配收入"),
    ("居民人均消费支出", "居民人均消费支出"),
    ("农村居民人均消费支出", "农村居民人均消费支出"),
    ("年末常住人口", "常住人口"),
    ("全市户籍人口", "户籍人口"),
    ("城镇人口", "城镇人口"),
    ("常住人口城镇化率", "城镇化率"),
    ("常住人口城市化率", "城镇化率"),                         # corpus 15
    ("户籍人口城镇化率", "户籍人口城镇化率"),
    ("城镇新增就业", "城镇新增就业"),
    ("城镇新增就业岗位", "城镇新增就业"),                     # corpus 10
    ("城镇登记失业率", "城镇登记失业率"),
    ("城镇调查失业率", "城镇调查失业率"),
    ("年末城镇登记失业人数", "城镇登记失业人数"),             # corpus 10
    ("人均预期寿命", "人均预期寿命"),
    ("劳动年龄人口平均受教育年限", "劳动年龄人口平均受教育年限"),
    # agriculture
    ("全年粮食总产量", "粮食产量"),
    ("粮食产量", "粮食产量"),
    ("夏粮", "夏粮产量"),
    ("粮食播种面积", "粮食播种面积"),
    ("粮食种植面积", "粮食播种面积"),                         # corpus 12
    ("油料", "油料产量"),
    ("油料种植面积", "油料种植面积"),
    ("蔬菜产量", "蔬菜产量"),
    ("蔬菜种植面积", "蔬菜种植面积"),
    ("猪牛羊禽肉产量", "猪牛羊禽肉产量"),
    ("猪肉产量", "猪肉产量"),
    ("生猪出栏", "生猪出栏"),
    ("年末生猪存栏", "生猪存栏"),
    ("园林水果产量", "园林水果产量"),                         # corpus 14
    # energy and electricity
    ("发电量", "发电量"),
    ("全年规模以上工业发电量", "发电量"),
    ("火电发电量", "火电发电量"),
    ("火电", "火电发电量"),
    ("水电发电量", "水电发电量"),
    ("核电发电量", "核电发电量"),
    ("风电", "风电发电量"),
    ("太阳能发电量", "太阳能发电量"),
    ("光伏发电量", "太阳能发电量"),
    ("生物质发电量", "生物质发电量"),                         # corpus 17
    ("可再生能源发电量", "可再生能源发电量"),
    ("全口径非化石能源发电量", "非化石能源发电量"),           # corpus 17
    ("全口径发电装机容量", "发电装机容量"),                   # corpus 17
    ("全国电力装机规模", "发电装机容量"),
    ("风电装机", "风电装机容量"),
    ("光伏发电装机", "太阳能发电装机容量"),
    ("全社会用电量", "全社会用电量"),
    ("能源消费总量", "能源消费总量"),
    ("单位GDP能耗", "单位GDP能耗"),
    ("万元GDP能耗", "单位GDP能耗"),                           # corpus 10
    ("单位地区生产总值能耗", "单位GDP能耗"),
    ("单位国内生产总值二氧化碳排放", "单位GDP二氧化碳排放"),
    ("碳排放强度", "单位GDP二氧化碳排放"),
    ("二氧化碳排放量", "二氧化碳排放量"),
    ("非化石能源占一次能源消费比重", "非化石能源占一次能源消费比重"),
    # environment
    ("PM2.5平均浓度", "PM2.5平均浓度"),
    ("细颗粒物(PM2.5)平均浓度", "PM2.5平均浓度"),
    ("PM10平均浓度", "PM10平均浓度"),
    ("空气质量优良天数比率", "空气质量优良天数比例"),
    ("地级及以上城市空气质量优良天数比率", "空气质量优良天数比例"),
    ("空气质量优良天数", "空气质量优良天数"),
    ("地表水达到或好于Ⅲ类水体比例", "地表水达到或好于Ⅲ类水体比例"),
    ("森林覆盖率", "森林覆盖率"),
    ("森林蓄积量", "森林蓄积量"),
    ("城镇生活污水集中处理率", "城镇生活污水集中处理率"),
    # transport, post, telecom
    ("公路总里程", "公路总里程"),
    ("公路通车里程", "公路总里程"),
    ("高速公路通车里程", "高速公路里程"),
    ("铁路营业里程", "铁路营业里程"),
    ("高铁营业里程", "高速铁路营业里程"),
    ("城市轨道交通运营里程", "城市轨道交通运营里程"),
    ("港口货物吞吐量", "港口货物吞吐量"),
    ("集装箱吞吐量", "港口集装箱吞吐量"),
    ("旅客运输量", "旅客运输量"),
    ("货物运输总量", "货物运输量"),
    ("货物周转量", "货物运输周转量"),
    ("快递业务量", "快递业务量"),
    ("固定互联网宽带接入用户", "固定宽带用户"),
    ("5G移动电话用户", "5G用户"),
    ("5G用户普及率", "5G用户普及率"),
    ("5G基站", "5G基站"),
    # innovation and digital economy
    ("研究与试验发展经费支出", "研究与试验发展经费支出"),
    ("研发经费投入强度", "研发经费投入强度"),
    ("研究与试验发展经费投入强度", "研发经费投入强度"),
    ("研究与试验发展经费支出占地区生产总值比重", "研发经费投入强度"),
    ("全社会研发经费投入强度", "研发经费投入强度"),
    ("高新技术企业", "高新技术企业数"),
    ("每万人口发明专利拥有量", "每万人口发明专利拥有量"),
    ("万人有效发明专利拥有量", "每万人口发明专利拥有量"),
    ("每万人口高价值发明专利拥有量", "每万人口高价值发明专利拥有量"),
    ("技术合同成交额", "技术合同成交额"),
    ("数字经济核心产业增加值", "数字经济核心产业增加值"),
    ("数字经济核心产业增加值占GDP比重", "数字经济核心产业增加值占GDP比重"),
    # finance, trade, tourism
    ("金融机构本外币各项存款余额", "金融机构本外币存款余额"),
    ("全市金融机构本外币贷款余额", "金融机构本外币贷款余额"),
    ("人民币各项存款余额", "人民币存款余额"),
    ("山西省货物贸易进出口总值", "外贸进出口总额"),           # corpus 13
    ("山西省出口", "出口额"),                                 # corpus 13
    ("进口", "进口额"),
    ("机电产品出口", "机电产品出口额"),
    ("民营企业进出口", "民营企业进出口额"),
    ("实际使用外资", "实际利用外资"),
    ("旅游总收入", "旅游总收入"),
]

# Phrases that must NOT be read as the indicator a substring names.
NOT = [
    ("第二产业增加值", "地区生产总值"),
    ("人均地区生产总值", "地区生产总值"),
    ("单位GDP能耗", "地区生产总值"),
    ("规模以上工业增加值", "全部工业增加值"),
    ("城镇居民人均可支配收入", "居民人均可支配收入"),
    ("常住人口城镇化率", "常住人口"),
    ("户籍人口城镇化率", "城镇化率"),
    ("粮食播种面积", "粮食产量"),
    ("高速公路里程", "公路总里程"),
    ("高铁营业里程", "铁路营业里程"),
    ("风电装机", "风电发电量"),
    ("人民币存款余额", "金融机构本外币存款余额"),
    ("数字经济核心产业增加值占GDP比重", "数字经济核心产业增加值"),
    ("机电产品出口", "出口额"),
]

# Phrases that name no lexicon indicator (a class of things, another measure, a verb).
UNKNOWN = [
    "棚户区和城中村改造居住",            # 居住 is a CPI category only with 类/价格
    "规模以上工业企业利润总额",
    "工业用电",
    "城镇居民人均住房面积",
    "市重点项目完成投资",
    "对欧盟进出口",                      # trade with one partner, not total trade
]

_CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("phrase,canonical", PHRASES, ids=[p for p, _ in PHRASES])
def test_printed_phrase_maps_to_canonical(phrase: str, canonical: str) -> None:
    assert canonical in lexicons.indicators(), f"{canonical} is not in the lexicon"
    assert text._canonical(phrase) == canonical


@pytest.mark.parametrize("phrase,wrong", NOT, ids=[p for p, _ in NOT])
def test_part_is_not_read_as_its_total(phrase: str, wrong: str) -> None:
    assert wrong in lexicons.indicators()
    got = text._canonical(phrase)
    assert got is not None and got != wrong


@pytest.mark.parametrize("phrase", UNKNOWN)
def test_unrelated_phrase_is_unrecognised(phrase: str) -> None:
    assert text._canonical(phrase) is None


def test_every_alias_maps_to_its_own_indicator() -> None:
    """Longest match wins: no alias is stolen by a shorter alias inside it, bare or after a
    place word (全省 …)."""
    wrong = [(prefix + alias, ind.canonical, text._canonical(prefix + alias))
             for ind in lexicons.indicators().values() for alias in ind.aliases
             for prefix in ("", "全省")
             if text._canonical(prefix + alias) != ind.canonical]
    assert wrong == []


def test_every_indicator_has_an_english_name() -> None:
    bad = [name for name, ind in lexicons.indicators().items()
           if not ind.en.strip() or _CJK.search(ind.en)]
    assert bad == []


def test_natures_of_prices_rates_and_shares() -> None:
    inds = lexicons.indicators()
    assert inds["居民消费价格"].nature == "price_index"
    assert inds["工业生产者出厂价格"].nature == "price_index"
    assert inds["城镇化率"].nature == "rate"
    assert inds["城镇登记失业率"].nature == "rate"
    assert inds["数字经济核心产业增加值占GDP比重"].nature == "share"
    assert inds["地区生产总值"].nature == "level"
    assert {ind.nature for ind in inds.values()} <= set(lexicons.NATURES)


def test_relations_name_only_lexicon_indicators() -> None:
    """Totals, parts and wholes in relations.yaml are canonical names (a typo would make a
    relation that never fires)."""
    rel = load_relations()
    names = set(lexicons.indicators())
    used = {n for t, ds in rel.sums.items() for parts in ds for n in (t, *parts)}
    used |= {n for pair in rel.contains.items() for n in pair}
    assert sorted(used - names) == []


def test_parts_and_totals_share_no_alias() -> None:
    inds = lexicons.indicators()
    for part, whole in load_relations().containments():
        assert not set(inds[part].aliases) & set(inds[whole].aliases), (part, whole)
        for alias in inds[part].aliases:
            assert text._canonical(alias) != whole, (alias, whole)


def _load_with(monkeypatch: pytest.MonkeyPatch, data: dict) -> None:
    real = lexicons.load_data

    def fake(name: str, *args):
        return data if name == "indicators.yaml" else real(name, *args)

    monkeypatch.setattr(lexicons, "load_data", fake)
    lexicons.indicators.cache_clear()
    try:
        lexicons.indicators()
    finally:
        monkeypatch.undo()
        lexicons.indicators.cache_clear()


@pytest.mark.parametrize("entries,message", [
    ({"地区生产总值": {"en": "GDP", "aliases": ["GDP"]},
      "第二产业增加值": {"en": "Secondary industry", "aliases": ["GDP"]}},
     "already belongs to '地区生产总值'"),
    ({"A": {"en": "a", "aliases": ["B"]}, "B": {"en": "b"}}, "already belongs to 'A'"),
    ({"A": {"en": "", "aliases": []}}, "en must be a non-empty"),
    ({"A": {"aliases": []}}, "missing required field(s) en"),
    ({"A": {"en": "a", "nature": "growth"}}, "nature 'growth' is not one of"),
    ({"A": {"en": "a", "aliases": ["X", "X"]}}, "an alias is listed twice"),
    ({"A": {"en": "a", "alias": ["X"]}}, "unknown field(s) alias"),
])
def test_loader_rejects_bad_entries(monkeypatch: pytest.MonkeyPatch, entries: dict,
                                    message: str) -> None:
    with pytest.raises(LexiconError, match=re.escape(message)):
        _load_with(monkeypatch, {"version": 1, "indicators": entries})
