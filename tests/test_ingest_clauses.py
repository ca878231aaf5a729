"""Clause trees for the numbering families users bring: GB, ISO/IEC/EN, EU legislation,
GOST and EAEU technical regulations (generated PDFs with real layouts: covers, tables of
contents, centred annex titles, small-print reference lists)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stdcompare.ingest import load
from stdcompare.model import Document


def _doc(tmp_path: Path, name: str, src: str) -> Document:
    from corpora.pdfgen import render_markup

    return load(render_markup(src, tmp_path / f"{name}.pdf"))


GB = """!meta language: zh
!meta header-right: GB 1234—2024
!cover
[left] ICS 67.040
[center] 中华人民共和国国家标准
[code] GB 1234—2024
[right] 代替 GB 1234—2010
[title] 食品安全国家标准
[title] 食品中某污染物限量
[subtitle] National food safety standard—Maximum level of a contaminant in food
[center] (ISO 1234:2019，MOD)
[split] 2024-03-01 发布 || 2025-03-01 实施
!endcover
#^ 目次
前言 .................... I
1 范围 .................... 1
2 规范性引用文件 .................... 1
3 技术要求 .................... 1
附录A（规范性） 试验方法 .................... 3
!pagebreak
#^ 前言
本文件按照GB/T 1.1—2020《标准化工作导则 第1部分：标准化文件的结构和起草规则》的规定起草。
本文件代替GB 1234—2010《食品安全国家标准 食品中某污染物限量》。
本文件修改采用ISO 1234:2019《食品中某污染物的测定》。
!pagebreak
# 1 范围
本文件规定了食品中某污染物的限量指标。
# 2 规范性引用文件
下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。
# 3 技术要求
## 3.1 原料要求
原料应符合相应的食品标准和有关规定。
## 3.2 污染物限量
### 3.2.1 铅
谷物中铅（以Pb计）的限量为0.2 mg/kg。
### 3.2.2 镉
谷物中镉（以Cd计）的限量为0.1 mg/kg。
!pagebreak
#^ 附录A
!center （规范性）
!center 试验方法
## A.1 试剂
所用试剂均为优级纯。
## A.2 步骤
### A.2.1 称样
称取试样0.5 g（精确至0.001 g）。
#^ 参考文献
!note [1] GB 2762—2022 食品安全国家标准 食品中污染物限量
!note [2] ISO 1234:2019 Foodstuffs — Determination of a contaminant
"""


def test_gb_family(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "gb", GB)
    ids = [c.id for c in doc.clauses]
    assert ids[:2] == ["front", "目次"]
    assert ids[2:] == [
        "前言", "1", "2", "3", "3.1", "3.2", "3.2.1", "3.2.2",
        "附录A", "A.1", "A.2", "A.2.1", "参考文献",
    ]  # fmt: skip
    assert doc.clause("目次").kind == "toc"  # its entries did not open clauses
    assert doc.clause("前言").page == 3
    c = doc.clause("3.2.1")
    assert (c.heading, c.parent, c.page, c.text) == (
        "铅",
        "3.2",
        4,
        "谷物中铅（以Pb计）的限量为0.2 mg/kg。",
    )
    annex = doc.clause("附录A")
    assert (annex.kind, annex.heading, annex.page) == ("annex", "试验方法", 5)
    assert annex.text.startswith("（规范性）")
    assert doc.clause("A.2.1").parent == "A.2" and doc.clause("A.1").parent == "附录A"
    assert doc.clause("参考文献").kind == "references"
    m = doc.metadata
    assert (m.code, m.replaces, m.ics, m.year) == (
        "GB 1234—2024",
        ("GB 1234—2010",),
        ("67.040",),
        2024,
    )
    assert m.title == "食品安全国家标准 食品中某污染物限量"
    assert m.title_en == "National food safety standard—Maximum level of a contaminant in food"
    assert m.adoption is not None
    assert (m.adoption.degree, m.adoption.standard) == ("MOD", "ISO 1234:2019")
    assert m.adoption.text == "本文件修改采用ISO 1234:2019《食品中某污染物的测定》。"
    assert (m.issued, m.implemented) == ("2024-03-01", "2025-03-01")


ISO = """!meta language: en
!meta header-left: ISO 1234:2019(E)
!cover
[left] INTERNATIONAL STANDARD
[code] ISO 1234
[right] Second edition 2019-05
[title] Foodstuffs — Determination of a contaminant
[right] Reference number ISO 1234:2019(E)
!endcover
#^ Foreword
ISO (the International Organization for Standardization) is a worldwide federation.
This second edition cancels and replaces the first edition (ISO 1234:2010), which has been technically revised.
#^ Introduction
Contaminants in food are a concern for public health.
!pagebreak
# 1 Scope
This document specifies a method for the determination of a contaminant.
# 2 Normative references
The following documents are referred to in the text.
# 3 Terms and definitions
## 3.1 test portion
quantity of material taken for the determination
# 4 Procedure
## 4.1 Preparation
### 4.1.1 Grinding
Grind the laboratory sample.
#^ Annex A
!center (normative)
!center Precision data
## A.1 Interlaboratory test
The results of an interlaboratory test are summarized in Table A.1.
#^ Bibliography
!note [1] ISO 5725-2, Accuracy (trueness and precision) of measurement methods and results
!note [2] ISO 3696, Water for analytical laboratory use
"""


def test_iso_en_family(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "iso", ISO)
    ids = [c.id for c in doc.clauses]
    assert ids == [
        "front", "Foreword", "Introduction", "1", "2", "3", "3.1", "4", "4.1", "4.1.1",
        "Annex A", "A.1", "Bibliography",
    ]  # fmt: skip
    assert doc.clause("Foreword").kind == "front"
    assert doc.clause("2").heading == "Normative references"
    annex = doc.clause("Annex A")
    assert (annex.heading, annex.text) == ("Precision data", "(normative)")
    assert doc.clause("A.1").parent == "Annex A"
    assert doc.clause("Bibliography").kind == "references"
    m = doc.metadata
    assert (m.code, m.year, m.title) == (
        "ISO 1234:2019",
        2019,
        "Foodstuffs — Determination of a contaminant",
    )
    assert m.replaces == ("ISO 1234:2010",)


EU = """!meta language: en
!cover
[code] COMMISSION REGULATION (EU) 2023/999
[center] of 5 May 2023
[center] on maximum levels for a contaminant in certain foods and repealing Regulation (EC) No 1881/2006
[center] (Text with EEA relevance)
!endcover
THE EUROPEAN COMMISSION,
Having regard to the Treaty on the Functioning of the European Union,
HAS ADOPTED THIS REGULATION:
#^ Article 1
#^ Definitions
For the purposes of this Regulation, the following definitions apply:
(a) ‘food’ means food as defined in Article 2 of Regulation (EC) No 178/2002;
(b) ‘placing on the market’ means placing on the market as defined in that Regulation.
#^ Article 2
#^ General rules
1. The food listed in Annex I shall not be placed on the market where it contains a contaminant at a level exceeding the maximum level.
2. The maximum levels shall apply to:
(a) food as placed on the market;
(b) dried food.
!pagebreak
#^ ANNEX I
#^ Maximum levels for certain contaminants in food
# Section 3: Metals
## 3.1 Lead
### 3.1.1 Raw milk, heat-treated milk and milk for the manufacture of milk-based products
The maximum level of lead is 0,020 mg/kg.
## 3.2 Cadmium
The maximum level of cadmium in vegetables is 0,050 mg/kg.
"""


def test_eu_family(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "eu", EU)
    ids = [c.id for c in doc.clauses]
    assert ids == [
        "front", "Article 1", "Article 1(a)", "Article 1(b)", "Article 2", "Article 2(1)",
        "Article 2(2)", "Article 2(2)(a)", "Article 2(2)(b)", "ANNEX I", "Section 3", "3.1",
        "3.1.1", "3.2",
    ]  # fmt: skip
    assert doc.clause("Article 1").heading == "Definitions"
    assert doc.clause("Article 2").heading == "General rules"
    point = doc.clause("Article 2(2)(b)")
    assert (point.kind, point.parent, point.text) == ("point", "Article 2(2)", "dried food.")
    assert doc.clause("Article 2(1)").kind == "paragraph"
    assert doc.clause("ANNEX I").heading == "Maximum levels for certain contaminants in food"
    section = doc.clause("Section 3")
    assert (section.parent, section.heading) == ("ANNEX I", "Metals")
    assert doc.clause("3.1").parent == "Section 3" and doc.clause("3.1.1").parent == "3.1"
    m = doc.metadata
    assert m.code == "Commission Regulation (EU) 2023/999"
    assert m.title == (
        "on maximum levels for a contaminant in certain foods and repealing Regulation (EC) "
        "No 1881/2006"
    )
    assert m.replaces == ("Regulation (EC) No 1881/2006",)


EAEU = """!meta language: ru
!cover
[right] УТВЕРЖДЕН
[right] Решением Комиссии Таможенного союза
[center] ТЕХНИЧЕСКИЙ РЕГЛАМЕНТ ТАМОЖЕННОГО СОЮЗА
[code] ТР ТС 099/2011
[title] О безопасности пищевой продукции
!endcover
# Статья 1. Область применения
1.1. Настоящий технический регламент распространяется на пищевую продукцию.
1.2. Настоящий технический регламент устанавливает требования безопасности.
# Статья 7. Требования безопасности
7.1. Пищевая продукция должна соответствовать требованиям приложения 3.
!pagebreak
#^ Приложение 3
!center к техническому регламенту Таможенного союза
!center Допустимые уровни содержания токсичных элементов
Свинец в зерне не более 0,5 мг/кг.
"""


def test_eaeu_family(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "eaeu", EAEU)
    ids = [c.id for c in doc.clauses]
    assert ids == ["front", "Статья 1", "1.1", "1.2", "Статья 7", "7.1", "Приложение 3"]
    assert doc.clause("Статья 1").heading == "Область применения"
    assert doc.clause("1.2").parent == "Статья 1" and doc.clause("7.1").parent == "Статья 7"
    annex = doc.clause("Приложение 3")
    assert annex.kind == "annex" and annex.page == 3
    # the attribution line under the annex number is text; the title is the line after it
    assert annex.heading == "Допустимые уровни содержания токсичных элементов"
    assert annex.text.startswith("к техническому регламенту Таможенного союза")
    assert "Свинец в зерне не более 0,5 мг/кг." in annex.text
    m = doc.metadata
    assert (m.code, m.title, m.year) == ("ТР ТС 099/2011", "О безопасности пищевой продукции", 2011)


GOST = """!meta language: ru
!meta header-right: ГОСТ 99999-2020
!cover
[center] МЕЖГОСУДАРСТВЕННЫЙ СОВЕТ ПО СТАНДАРТИЗАЦИИ, МЕТРОЛОГИИ И СЕРТИФИКАЦИИ
[title] МЕЖГОСУДАРСТВЕННЫЙ СТАНДАРТ
[code] ГОСТ 99999-2020
[title] ПРОДУКТЫ ПИЩЕВЫЕ
[title] Метод определения свинца
[subtitle] Foodstuffs. Method for determination of lead
!endcover
#^ Предисловие
Настоящий стандарт идентичен международному стандарту ISO 9999:2018 «Foodstuffs — Determination of lead».
Взамен ГОСТ 99999-2005
!pagebreak
# 1 Область применения
Настоящий стандарт устанавливает метод определения свинца.
# 4 Требования
## 4.2 Отбор проб
### 4.2.1 Пробы отбирают по ГОСТ 31904.
### 4.2.2 Масса пробы не менее 100 г.
#^ Приложение А
!center (справочное)
!center Сведения о соответствии ссылочных стандартов
А.1 Сведения приведены в таблице.
"""


def test_gost_family(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "gost", GOST)
    ids = [c.id for c in doc.clauses]
    assert ids == ["front", "Предисловие", "1", "4", "4.2", "4.2.1", "4.2.2", "Приложение А"]
    assert doc.clause("4.2.1").parent == "4.2"
    assert doc.clause("4.2.1").text == "Пробы отбирают по ГОСТ 31904."
    annex = doc.clause("Приложение А")
    assert annex.heading == "Сведения о соответствии ссылочных стандартов"
    assert annex.text.startswith("(справочное)")
    m = doc.metadata
    assert (m.code, m.year) == ("ГОСТ 99999-2020", 2020)
    assert m.title == "ПРОДУКТЫ ПИЩЕВЫЕ Метод определения свинца"
    assert m.title_en == "Foodstuffs. Method for determination of lead"
    assert m.replaces == ("ГОСТ 99999-2005",)
    assert m.adoption is not None
    assert (m.adoption.degree, m.adoption.standard) == ("IDT", "ISO 9999:2018")


def test_small_print_reference_lists_are_not_clauses(tmp_path: Path) -> None:
    """Numbered references in smaller type after the last clause: no clauses "7", "8" …"""
    body = (
        "Canned vegetables are prepared from fresh, frozen or chilled vegetables, packed with "
        "water or another suitable liquid medium, and processed by heat in an appropriate "
        "manner before or after being sealed in a container so as to prevent spoilage."
    )
    src = "\n".join(
        [
            "!meta language: en",
            "# 1 Scope",
            "This standard applies to canned vegetables.",
            *[body] * 6,
            "# 2 Description",
            *[body] * 6,
            *[
                f"!note {n} FAO and WHO. 2001. Standard number {n}. Codex Alimentarius Commission. Rome."
                for n in range(1, 13)
            ],
        ]
    )
    doc = _doc(tmp_path, "notes", src)
    assert [c.id for c in doc.clauses] == ["1", "2"]
    assert "12 FAO and WHO. 2001. Standard number 12." in doc.clause("2").text


# --- recitals, term entries, EAEU article paragraphs, wrapped first lines ---------------------

EU_RECITALS = """!meta language: en
!cover
[code] COMMISSION REGULATION (EU) 2024/111
[center] of 2 February 2024
[center] on maximum levels for a contaminant in food
!endcover
THE EUROPEAN COMMISSION,
Having regard to the Treaty on the Functioning of the European Union,
Whereas:
(1) Maximum levels should be set as low as reasonably achievable.
(2) Food intended for infants needs the lowest maximum levels.
(3) The levels in dried food should be derived from those for the fresh food, taking into account the concentration caused by drying.
HAS ADOPTED THIS REGULATION:
#^ Article 1
#^ Definitions
For the purposes of this Regulation, the following definitions apply:
(1) ‘food’ means:
> (a) any substance intended to be eaten;
> (b) drinks and chewing gum;
(2) ‘infant’ means a child under the age of 12 months.
#^ Article 2
#^ General rules
1. The maximum levels apply to the edible part.
2. Member States shall comply with Articles
5 to 14.
"""


def test_eu_recitals_and_nested_definition_points(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "recitals", EU_RECITALS)
    ids = [c.id for c in doc.clauses]
    assert ids == [
        "front", "Recital 1", "Recital 2", "Recital 3", "Article 1", "Article 1(1)",
        "Article 1(1)(a)", "Article 1(1)(b)", "Article 1(2)", "Article 2", "Article 2(1)",
        "Article 2(2)",
    ]  # fmt: skip
    r3 = doc.clause("Recital 3")
    assert (r3.kind, r3.parent) == ("recital", "front")
    assert r3.text.startswith("The levels in dried food") and "drying." in r3.text
    assert "HAS ADOPTED THIS REGULATION:" not in r3.text  # the enacting formula ends them
    assert "HAS ADOPTED THIS REGULATION:" in doc.clause("front").text
    assert doc.clause("Article 1(1)(b)").parent == "Article 1(1)"
    assert doc.clause("Article 1(2)").parent == "Article 1"
    # "5 to 14." at a line start inside an article is the end of a sentence, not clause 5
    assert doc.clause("Article 2(2)").text.endswith("Articles 5 to 14.")


def test_recitals_need_whereas(tmp_path: Path) -> None:
    """Numbered paragraphs in a preamble without "Whereas:" are not recitals."""
    src = EU_RECITALS.replace("Whereas:\n", "")
    doc = _doc(tmp_path, "no-whereas", src)
    assert not [c for c in doc.clauses if c.kind == "recital"]


GB_TERMS = """!meta language: zh
# 1　范围
本文件规定了生活饮用水的水质要求。
# 3　术语和定义
下列术语和定义适用于本文件。
## 3.1
**生活饮用水**　drinking water
供人日常饮用以及洗涤、烹饪等生活使用的水。
## 3.2
**常规指标**　regular indices
能够反映生活饮用水水质基本状况的水质指标。
# 4　要求
4.1　生活饮用水中不应含有病原微生物。
"""

ISO_TERMS = """!meta language: en
# 1 Scope
This document specifies requirements for water for analytical laboratory use.
# 3 Terms and definitions
For the purposes of this document, the following terms and definitions apply.
## 3.1
**test portion**
quantity of material taken for the determination
## 3.2
**laboratory sample**
sample as prepared for sending to the laboratory
# 4 Requirements
The water shall comply with Table 1.
"""

GOST_TERMS = """!meta language: ru
# 1 Область применения
Настоящий стандарт распространяется на дизельное топливо.
# 3 Термины и определения
В настоящем стандарте применены следующие термины с соответствующими определениями:
## 3.1
**дизельное топливо**
топливо, предназначенное для применения в дизельных двигателях
# 4 Технические требования
Топливо должно соответствовать требованиям таблицы 1.
"""


def test_term_entries_under_a_bare_number(tmp_path: Path) -> None:
    """GB/ISO/GOST terms: the entry number alone on its line, the term on the next."""
    gb = _doc(tmp_path, "gb-terms", GB_TERMS)
    assert [c.id for c in gb.clauses] == ["1", "3", "3.1", "3.2", "4", "4.1"]
    t = gb.clause("3.1")
    assert (t.heading, t.parent, t.text) == (
        "生活饮用水 drinking water",
        "3",
        "供人日常饮用以及洗涤、烹饪等生活使用的水。",
    )
    assert gb.clause("3").text == "下列术语和定义适用于本文件。"
    iso = _doc(tmp_path, "iso-terms", ISO_TERMS)
    assert [c.id for c in iso.clauses] == ["1", "3", "3.1", "3.2", "4"]
    t = iso.clause("3.2")  # a lower-case term is still the title of its entry
    assert (t.heading, t.text) == (
        "laboratory sample",
        "sample as prepared for sending to the laboratory",
    )
    gost = _doc(tmp_path, "gost-terms", GOST_TERMS)
    t = gost.clause("3.1")
    assert (t.heading, t.parent) == ("дизельное топливо", "3")
    assert t.text.startswith("топливо, предназначенное")


TR_CU = """!meta language: ru
!cover
[center] ТЕХНИЧЕСКИЙ РЕГЛАМЕНТ ТАМОЖЕННОГО СОЮЗА
[code] ТР ТС 098/2011
[title] О безопасности топлива
!endcover
1. Настоящий технический регламент разработан в соответствии с Соглашением о единых принципах и правилах технического регулирования от 18 ноября 2010 года.
2. Технический регламент разработан для того, чтобы установить обязательные для применения и исполнения требования к топливу.
# Статья 1. Область применения
1.1. Технический регламент распространяется на топливо, выпускаемое в обращение на единой таможенной территории Таможенного союза.
1.2. Технический регламент устанавливает требования к топливу в целях защиты жизни и здоровья человека.
# Статья 2. Требования к топливу 1. Топливо должно соответствовать требованиям, установленным в приложении 3.
2. Каждая партия топлива сопровождается паспортом.
# Статья 3. Переходные положения
3.1. Выпускаемое в обращение топливо должно соответствовать требованиям технического регламента в течение всего срока его обращения.
!pagebreak
!right **Приложение 3**
!right к техническому регламенту Таможенного союза
!right «О безопасности топлива»
!right (ТР ТС 098/2011)
!center **Требования к характеристикам дизельного топлива**
Массовая доля серы, не более 10 мг/кг.
"""


def test_eaeu_preamble_article_paragraphs_and_annex_title(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "tr-cu", TR_CU)
    ids = [c.id for c in doc.clauses]
    assert ids == [
        "front", "1", "2", "Статья 1", "1.1", "1.2", "Статья 2", "Статья 2(1)", "Статья 2(2)",
        "Статья 3", "3.1", "Приложение 3",
    ]  # fmt: skip
    # numbered paragraphs before the first article are the preamble, not chapters
    pre = doc.clause("1")
    assert (pre.kind, pre.parent, pre.heading) == ("front", "front", "")
    assert pre.text.startswith("Настоящий технический регламент разработан")
    # "Статья 2. Требования к топливу 1. Топливо …" on one line: title, then paragraph 1
    art = doc.clause("Статья 2")
    assert (art.heading, art.text) == ("Требования к топливу", "")
    par = doc.clause("Статья 2(1)")
    assert (par.kind, par.parent) == ("paragraph", "Статья 2")
    assert par.text == "Топливо должно соответствовать требованиям, установленным в приложении 3."
    assert doc.clause("1.2").parent == "Статья 1" and doc.clause("3.1").parent == "Статья 3"
    # a wrapped first sentence is text, not a heading
    c = doc.clause("3.1")
    assert c.heading == ""
    assert c.text.startswith("Выпускаемое в обращение топливо должно соответствовать")
    annex = doc.clause("Приложение 3")
    assert annex.heading == "Требования к характеристикам дизельного топлива"
    assert annex.text.startswith(
        "к техническому регламенту Таможенного союза «О безопасности топлива» (ТР ТС 098/2011)"
    )
    assert "Массовая доля серы" in annex.text


def test_wrapped_first_lines_are_not_headings(make_pdf: Callable[..., Path]) -> None:
    """Plain PDFs (one type size, even line spacing) in three languages: a numbered sentence
    that wraps keeps its first line in the text; a short numbered title stays a heading."""
    pdf = make_pdf(
        "4 Технические требования\n"
        "4.1 Дизельное топливо должно соответствовать требованиям, приведённым в таблице 1, и "
        "требованиям технического регламента в течение всего срока его обращения.\n"
        "4.2 Отбор проб\n"
        "Пробы отбирают по ГОСТ 2517.\n",
        "ru.pdf",
    )
    doc = load(pdf)
    assert [(c.id, c.heading) for c in doc.clauses] == [
        ("4", "Технические требования"), ("4.1", ""), ("4.2", "Отбор проб"),
    ]  # fmt: skip
    assert doc.clause("4.1").text.startswith("Дизельное топливо должно соответствовать")
    assert doc.clause("4.1").text.endswith("срока его обращения.")
    en = load(
        make_pdf(
            "7 Methods of test\n"
            "7.1 Determination of pH value: measure the pH of grade 3 water at 25 °C with a pH "
            "meter that has been calibrated with two buffer solutions before use.\n"
            "7.2 Conductivity\n"
            "Measure at 25 °C.\n",
            "en.pdf",
        )
    )
    assert [(c.id, c.heading) for c in en.clauses] == [
        ("7", "Methods of test"), ("7.1", ""), ("7.2", "Conductivity"),
    ]  # fmt: skip
    assert en.clause("7.1").text.startswith("Determination of pH value: measure")
    # a title that runs over two lines and ends without punctuation stays the title
    cats = load(
        make_pdf(
            "14.1 Non-alcoholic beverages\n"
            "14.1.1 Water-based flavoured drinks, including sport, energy or electrolyte drinks "
            "and particulated drinks, and concentrates for them in liquid or solid form\n"
            "14.1.2 Coffee, coffee substitutes and tea\n",
            "categories.pdf",
        )
    )
    c = cats.clause("14.1.1")
    assert c.heading.startswith("Water-based flavoured drinks") and c.heading.endswith(
        "in liquid or solid form"
    )
    assert c.text == "" and cats.clause("14.1.2").heading == "Coffee, coffee substitutes and tea"
    zh = load(
        make_pdf(
            "5 技术要求\n"
            "5.1 车用柴油中不应含有任何可导致车辆无法正常运行的添加物和污染物，不得人为加入甲醇，"
            "其技术要求和试验方法见表3。\n"
            "5.2 取样\n"
            "取样按GB/T 4756进行。\n",
            "zh.pdf",
        )
    )
    assert [(c.id, c.heading) for c in zh.clauses] == [
        ("5", "技术要求"),
        ("5.1", ""),
        ("5.2", "取样"),
    ]
    assert zh.clause("5.1").text.endswith("其技术要求和试验方法见表3。")
