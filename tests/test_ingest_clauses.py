"""Clause trees for the numbering families users bring: GB, ISO/IEC/EN, EU legislation,
GOST and EAEU technical regulations (generated PDFs with real layouts: covers, tables of
contents, centred annex titles, small-print reference lists)."""

from __future__ import annotations

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
    assert (c.heading, c.parent, c.page, c.text) == ("铅", "3.2", 4, "谷物中铅（以Pb计）的限量为0.2 mg/kg。")
    annex = doc.clause("附录A")
    assert (annex.kind, annex.heading, annex.page) == ("annex", "试验方法", 5)
    assert annex.text.startswith("（规范性）")
    assert doc.clause("A.2.1").parent == "A.2" and doc.clause("A.1").parent == "附录A"
    assert doc.clause("参考文献").kind == "references"
    m = doc.metadata
    assert (m.code, m.replaces, m.ics, m.year) == ("GB 1234—2024", ("GB 1234—2010",), ("67.040",), 2024)
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
    assert (m.code, m.year, m.title) == ("ISO 1234:2019", 2019, "Foodstuffs — Determination of a contaminant")
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
    assert annex.heading == "к техническому регламенту Таможенного союза"
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
            *[f"!note {n} FAO and WHO. 2001. Standard number {n}. Codex Alimentarius Commission. Rome." for n in range(1, 13)],
        ]
    )
    doc = _doc(tmp_path, "notes", src)
    assert [c.id for c in doc.clauses] == ["1", "2"]
    assert "12 FAO and WHO. 2001. Standard number 12." in doc.clause("2").text
