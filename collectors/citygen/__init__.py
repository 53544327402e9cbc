"""The demo city: a reproducible city of subjects and the department feeds about them.

Why: the collectors, the colour rules (RULES.md §2), 双告知 and the public pages need a
realistic city to be built, demonstrated and load-tested against, and tests need one that
is the same for the same seed. The generator writes the inbox layout the collectors read
(`<out>/<department>/<kind>_<stamp>[_part].<csv|jsonl|xml>[.gz]`), in every format,
encoding, header style and value spelling the feed contract allows (SPEC.md §2).

Every subject is given a target colour (the Jiangxi 2020 mix) and gets records that trigger
exactly that colour as of `as_of`, besides benign records that trigger nothing. About 0.5 %
of records are deliberately bad, the way departments get records wrong.

Subjects are generated subject by subject in blocks (optionally in worker processes); each
block renders its records per (department, kind) and the parent appends them, in block
order, to per-feed writers that rotate files. Nothing is kept per subject, so memory does
not grow with the city, and the bytes depend only on (subjects, seed, as_of, max records per
file), never on the number of workers. Pure Python; no database.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import json
import math
import multiprocessing
import os
import random
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import islice
from pathlib import Path
from types import SimpleNamespace

from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from collectors.normalize import organization_code_check
from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason

REFERENCE_DIR = Path(contract.__file__).resolve().parent / "reference"
DEFAULT_MAX_RECORDS_PER_FILE = 50_000
BLOCK_SUBJECTS = 2_000  # subjects generated together (the unit of work of a worker process)
ID_STRIDE = 100_000  # record ids of a block start at block * ID_STRIDE, per feed
SEQ_STRIDE = 10_000  # document and licence numbers of a block start at block * SEQ_STRIDE
MAX_SUBJECTS = 10_000_000  # the code permutations below stay unique up to here

# Jiangxi 2020 colour mix; green is the rest (84.35 %).
COLOUR_MIX = {"red": 0.024, "orange": 0.016, "yellow": 0.1165}
COLOURS = ("green", "yellow", "orange", "red")
_GOLDEN = (math.sqrt(5) - 1) / 2
_RED_TO = COLOUR_MIX["red"]
_ORANGE_TO = _RED_TO + COLOUR_MIX["orange"]
_YELLOW_TO = _ORANGE_TO + COLOUR_MIX["yellow"]

BAD_RECORD_SHARE = 0.005
FIRST_REPORT_YEAR = 2013  # the first year reported on the enterprise credit information system
_BAD_REASONS = (  # (QuarantineReason code, weight); missing_required is the fallback that always applies
    (QuarantineReason.MISSING_REQUIRED.value, 25),
    (QuarantineReason.UNPARSABLE_DATE.value, 20),
    (QuarantineReason.INVALID_USCC.value, 15),
    (QuarantineReason.UNKNOWN_ENUM.value, 15),
    (QuarantineReason.UNPARSABLE_AMOUNT.value, 15),
    (QuarantineReason.END_BEFORE_START.value, 10),
    # Registrations only (about one record in twelve): a registry clerk picks the wrong subject type.
    (QuarantineReason.SUBJECT_TYPE_MISMATCH.value, 40),
)
# Individual businesses without a trade name, registered under their operator's own name
# (个体工商户名称登记管理办法 第八条 lets the operator's name serve as the trade name, and 民法典
# 第五十四条 makes a trade name optional).
OWN_NAME_SHARE = 0.03
# The type a clerk mistakes each type for: the USCC's characters 1–2 then contradict it.
MISTAKEN_TYPES = {
    "enterprise": "individual_business",
    "individual_business": "enterprise",
    "farmer_cooperative": "enterprise",
    "social_organization": "public_institution",
    "public_institution": "government_agency",
    "government_agency": "public_institution",
}

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# --------------------------------------------------------------------------- colours


def colour_offset(seed: int) -> float:
    """Where the seed's colour sequence starts (string seeds hash the same in every process)."""
    return random.Random(f"citygen-colour-{seed}").random()


def colour_for(index: int, offset: float) -> str:
    """Target colour of subject `index`: a golden-ratio sequence keeps every prefix near the mix."""
    u = (offset + index * _GOLDEN) % 1.0
    if u < _RED_TO:
        return "red"
    if u < _ORANGE_TO:
        return "orange"
    if u < _YELLOW_TO:
        return "yellow"
    return "green"


def target_colour_counts(subjects: int, seed: int) -> dict[str, int]:
    """The target colour counts of a city, without generating it (tests compare with the files)."""
    offset = colour_offset(seed)
    counts = dict.fromkeys(COLOURS, 0)
    for i in range(subjects):
        counts[colour_for(i, offset)] += 1
    return counts


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    uscc: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class CatalogEntry:
    keywords: tuple[str, ...]
    licence: str
    department: str


def load_departments() -> list[Department]:
    with open(REFERENCE_DIR / "departments.csv", encoding="utf-8-sig", newline="") as f:
        return [
            Department(row["code"], row["name"], row["uscc"], tuple(k for k in row["kinds"].split(";") if k))
            for row in csv.DictReader(f)
        ]


def load_districts() -> list[tuple[str, str]]:
    with open(REFERENCE_DIR / "districts.csv", encoding="utf-8-sig", newline="") as f:
        return [(row["code"], row["name"]) for row in csv.DictReader(f)]


def load_catalog() -> list[CatalogEntry]:
    with open(REFERENCE_DIR / "post_licence_catalog.csv", encoding="utf-8-sig", newline="") as f:
        return [
            CatalogEntry(
                tuple(k for k in row["scope_keywords"].split(";") if k),
                row["licence"],
                row["department_code"],
            )
            for row in csv.DictReader(f)
        ]


# --------------------------------------------------------------------------- Chinese material

CITY = "南昌"
PROVINCE = "江西"
# district code -> (weight, kind of place, roads, towns/streets)
DISTRICT_DETAIL = {
    "360102": (
        12,
        "urban",
        "八一大道 中山路 阳明路 叠山路 胜利路 象山北路 民德路 沿江北大道 永叉街 贤士路",
        "公园街道 滕王阁街道 八一桥街道 百花洲街道 墩子塘街道 豫章街道 彭家桥街道 扬子洲镇",
    ),
    "360103": (
        11,
        "urban",
        "孺子路 象山南路 抚河北路 洪城路 桃花路 站前路 丁公路 系马桩街 绳金塔街 船山路",
        "朝阳洲街道 南浦街道 广润门街道 西湖街道 十字街街道 丁公路街道 南站街道 桃源街道 桃花镇",
    ),
    "360104": (
        8,
        "urban",
        "井冈山大道 迎宾中大道 洪都南大道 昌南大道 岱山东路 青云谱路 解放西路 洪都中大道",
        "洪都街道 京山街道 岱山街道 徐家坊街道 三家店街道 青云谱镇",
    ),
    "360111": (
        15,
        "urban",
        "北京东路 湖滨东路 上海路 南京东路 高新大道 昌东大道 京东大道 湖坊路 民营科技园路",
        "湖坊镇 塘山镇 京东镇 罗家镇 青山路街道 上海路街道 南钢街道",
    ),
    "360112": (
        9,
        "urban",
        "长堎大道 子实路 新建大道 兴业大道 鸿源路 礼步湖大道",
        "长堎镇 望城镇 生米镇 西山镇 石岗镇 松湖镇 樵舍镇 乐化镇 溪霞镇 象山镇 石埠镇 联圩镇",
    ),
    "360113": (
        15,
        "urban",
        "红谷中大道 赣江北大道 丰和中大道 会展路 九龙大道 学府大道 绿茵路 翠苑路 庐山南大道 春晖路",
        "沙井街道 卫东街道 凤凰洲街道 红角洲街道 九龙湖街道 蛟桥镇 厚田乡 流湖镇",
    ),
    "360121": (
        15,
        "county",
        "澄湖东路 莲塘北大道 金沙大道 向塘大道 银湖一路 富山大道 东新大道",
        "莲塘镇 向塘镇 三江镇 塘南镇 幽兰镇 蒋巷镇 武阳镇 冈上镇 广福镇 泾口乡 南新乡 塔城乡 黄马乡 八一乡",
    ),
    "360123": (
        5,
        "county",
        "东阳大道 凤凰大道 龙津大道 文峰大道 宝山路",
        "龙津镇 万埠镇 鼎湖镇 长埠镇 东阳镇 石鼻镇 黄洲镇 乔乐乡 新民乡 长均乡",
    ),
    "360124": (
        8,
        "county",
        "胜利路 青岚大道 康乐路 五里大道 文港路",
        "民和镇 李渡镇 温圳镇 文港镇 梅庄镇 张公镇 罗溪镇 架桥镇 前坊镇 三里乡 二塘乡 钟陵乡 池溪乡",
    ),
}
# Area codes of ID numbers (places of birth), as stdnum.cn.ric knows them.
BIRTH_PLACES = (
    "360102",
    "360102",
    "360103",
    "360103",
    "360104",
    "360111",
    "360111",
    "360121",
    "360121",
    "360122",
    "360123",
    "360124",
    "360124",
    "360100",
    "360421",
    "360502",
    "362201",
    "362321",
    "362421",
    "360202",
    "360602",
)
SURNAMES = (
    "刘刘刘李李李王王王张张张陈陈陈胡胡胡黄黄熊熊吴吴徐徐万万罗罗杨杨周周邓邓朱朱涂涂龚余彭魏肖曾舒喻钟邹何程付谢"
    "郭蔡赵江章宋饶夏汪聂卢孙雷姜金傅廖闵袁"
)
GIVEN_MALE = "建华志强伟明军勇杰涛斌超磊鹏辉文俊平刚峰海波林龙国庆新春永健成东亮金生根水福德荣浩宇轩晨昊"
GIVEN_FEMALE = "秀英芳娟敏静丽燕霞玲婷琴萍莉慧颖雪梅兰凤桂晓佳欣雨嘉琳怡倩艳红华珍"
TRADE_CHARS = (
    "赣洪昌鑫华恒泰瑞丰盛达兴隆源博誉卓鼎新宏锦润和嘉凯悦康宁安德信诚金豪益众盈佳美中天海星辰宇航远通泽明光亿晟汇"
    "聚利福禄祥辉睿鸿腾飞翔云峰川江湖林森茂春秋绿青蓝红百千万方圆正大东南开元启智创优品尚雅致庐章滕豫樟"
)
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "170",
    "173",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
ID_TYPES = ("居民身份证", "居民身份证", "居民身份证", "身份证", "中华人民共和国居民身份证")


@dataclass(frozen=True)
class Industry:
    code: str
    words: tuple[str, ...]  # the industry part of an enterprise name
    shops: tuple[str, ...]  # name endings of individual businesses; empty: none
    licensed: tuple[str, ...]  # scope items needing a licence (one or two are picked)
    general: tuple[str, ...]  # general scope items
    w_ent: float
    w_ind: float
    extra: tuple[tuple[str, float], ...] = ()  # licences outside the catalogue: (department, probability)
    inspect: tuple[str, ...] = ()  # departments that inspect it besides SCJG
    penal: tuple[str, ...] = ()  # departments that punish it most often
    complaints: tuple[str, ...] = ("quality", "price", "contract", "after_sales")


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


INDUSTRIES: tuple[Industry, ...] = (
    Industry(
        "H6210",
        _t("餐饮管理 餐饮 餐饮服务"),
        _t("饭店 酒楼 餐馆 小吃店 面馆 快餐店 私房菜馆 粉店"),
        _t("餐饮服务 食品销售"),
        _t("餐饮管理 会议及展览服务 外卖递送服务 酒类经营"),
        6,
        16,
        (("XF", 0.3),),
        ("XF",),
        _t("SCJG CGJ XF STHJ WJW"),
        ("food_safety", "price", "after_sales"),
    ),
    Industry(
        "F5212",
        _t("商贸 超市 连锁超市 商业管理"),
        _t("超市 便利店 百货商店 副食店"),
        _t("食品销售 卷烟零售"),
        _t("日用百货销售 五金产品零售 针纺织品销售 家用电器销售 文具用品零售"),
        4,
        14,
        (("XF", 0.2),),
        (),
        _t("SCJG YCJ SWUJ"),
        ("quality", "price", "food_safety"),
    ),
    Industry(
        "F5251",
        _t("医药 大药房 医药连锁"),
        _t("大药房 药店 药房"),
        _t("药品零售 第三类医疗器械经营"),
        _t("第一类医疗器械销售 第二类医疗器械销售 化妆品零售 日用百货销售"),
        2.5,
        4,
        (),
        ("YJJD",),
        _t("YJJD YBJ SCJG"),
        ("quality", "price"),
    ),
    Industry(
        "C1419",
        _t("食品 食品科技 农产品加工"),
        _t("食品加工坊 糕点坊"),
        _t("食品生产 食品销售"),
        _t("农副产品销售 食用农产品初加工 食品互联网销售（仅销售预包装食品）"),
        2,
        1.5,
        (),
        ("STHJ",),
        _t("SCJG STHJ"),
        ("food_safety", "quality"),
    ),
    Industry(
        "G5431",
        _t("物流 运输 供应链管理 货运"),
        _t("货运部 搬家服务部"),
        _t("道路货物运输（不含危险货物）"),
        _t("国内货物运输代理 装卸搬运 仓储服务（不含危险化学品） 包装服务"),
        4,
        2.5,
        (),
        (),
        _t("JTJ SCJG CGJ"),
        ("contract", "after_sales"),
    ),
    Industry(
        "G5413",
        _t("出租汽车 汽车运输 客运"),
        (),
        _t("出租汽车经营"),
        _t("汽车租赁 机动车修理和维护"),
        1.0,
        0,
        (),
        (),
        _t("JTJ"),
        ("price", "after_sales"),
    ),
    Industry(
        "G5422",
        _t("旅游客运 客运 汽车运输"),
        (),
        _t("道路旅客运输"),
        _t("旅客票务代理 汽车租赁"),
        0.8,
        0,
        (),
        (),
        _t("JTJ"),
        ("price", "contract"),
    ),
    Industry(
        "E4710",
        _t("建筑工程 建设工程 建设集团 建筑劳务"),
        (),
        _t("建设工程施工 建筑工程施工"),
        _t("建筑劳务分包 园林绿化工程施工 市政设施管理 建筑材料销售"),
        4,
        0,
        (("QXJ", 0.1),),
        ("YJJ",),
        _t("ZJJ RSJ CGJ STHJ ZRZY"),
        ("quality", "contract"),
    ),
    Industry(
        "K7010",
        _t("房地产开发 置业 地产"),
        (),
        _t("房地产开发经营"),
        _t("物业管理 房地产经纪 住房租赁"),
        1.5,
        0,
        (("ZRZY", 0.7), ("QXJ", 0.5)),
        (),
        _t("ZJJ ZRZY SCJG"),
        ("contract", "quality"),
    ),
    Industry(
        "I6510",
        _t("科技 信息技术 网络科技 软件"),
        _t("电脑经营部 网络工作室"),
        (),
        _t("软件开发 信息技术咨询服务 信息系统集成服务 数据处理和存储支持服务 技术服务、技术开发、技术咨询"),
        8,
        1,
        (),
        (),
        _t("SCJG TJJ"),
        ("contract", "after_sales"),
    ),
    Industry(
        "F5232",
        _t("服饰 服装 贸易"),
        _t("服装店 服饰店 鞋店 童装店"),
        (),
        _t("服装服饰零售 鞋帽零售 针纺织品销售 箱包销售"),
        3,
        10,
        (),
        (),
        _t("SCJG CGJ"),
        ("quality", "after_sales", "false_advertising"),
    ),
    Industry(
        "F5199",
        _t("商贸 贸易 实业 进出口贸易"),
        _t("商行 经营部 五金店 建材经营部"),
        (),
        _t("建筑材料销售 五金产品批发 金属材料销售 电子产品销售 办公用品销售 货物进出口"),
        10,
        6,
        (),
        (),
        _t("SCJG SWJ"),
        ("quality", "contract"),
    ),
    Industry(
        "R9011",
        _t("娱乐 文化娱乐 文化传播"),
        _t("KTV 歌舞厅"),
        _t("歌舞娱乐活动 食品销售（仅销售预包装食品）"),
        _t("酒类经营 组织文化艺术交流活动"),
        0.8,
        1,
        (("XF", 0.8),),
        ("XF",),
        _t("WGLJ GAJ XF"),
        ("price", "other"),
    ),
    Industry(
        "R9013",
        _t("网络 网咖 网络科技"),
        _t("网吧 网咖"),
        _t("互联网上网服务 食品销售（仅销售预包装食品）"),
        _t("电子产品销售"),
        0.6,
        1,
        (("XF", 0.8),),
        ("XF",),
        _t("WGLJ GAJ XF"),
        ("price", "other"),
    ),
    Industry(
        "L7291",
        _t("国际旅行社 旅行社 旅游"),
        (),
        _t("旅行社业务"),
        _t("票务代理服务 会议及展览服务 旅游开发项目策划咨询"),
        1,
        0,
        (),
        (),
        _t("WGLJ SCJG"),
        ("contract", "false_advertising"),
    ),
    Industry(
        "F5243",
        _t("文化传播 书店 图书"),
        _t("书店 文具店"),
        _t("出版物零售"),
        _t("文具用品零售 体育用品及器材零售 玩具销售"),
        0.8,
        1.5,
        (),
        (),
        _t("WGLJ SCJG"),
        ("quality", "price"),
    ),
    Industry(
        "L7262",
        _t("人力资源 人力资源服务 劳务"),
        (),
        _t("人力资源服务 劳务派遣服务 职业中介活动"),
        _t("企业管理咨询 承接档案服务外包 劳务服务"),
        1.5,
        0,
        (),
        (),
        _t("RSJ SCJG"),
        ("contract", "other"),
    ),
    Industry(
        "P8391",
        _t("教育咨询 教育科技 培训"),
        (),
        _t("文化教育培训 民办教育"),
        _t("教育咨询服务 组织文化艺术交流活动 体育竞赛组织"),
        1.5,
        0,
        (("XF", 0.3),),
        (),
        _t("JYJ SCJG"),
        ("contract", "false_advertising", "after_sales"),
    ),
    Industry(
        "Q8425",
        _t("医疗管理 口腔门诊部 医院管理"),
        _t("诊所 口腔诊所 中医诊所"),
        _t("医疗服务"),
        _t("健康咨询服务（不含诊疗服务） 养生保健服务（非医疗）"),
        0.8,
        1.5,
        (),
        (),
        _t("WJW YBJ"),
        ("quality", "price"),
    ),
    Industry(
        "O8051",
        _t("美容美发 美容 美业"),
        _t("美发店 美容院 理发店 美甲店"),
        _t("美容美发服务"),
        _t("化妆品零售 养生保健服务（非医疗） 个人卫生用品销售"),
        1,
        5,
        (),
        (),
        _t("WJW SWUJ SCJG"),
        ("price", "after_sales", "false_advertising"),
    ),
    Industry(
        "H6121",
        _t("酒店管理 宾馆 酒店"),
        _t("宾馆 旅馆 民宿"),
        _t("住宿服务 餐饮服务"),
        _t("会议及展览服务 停车场服务 洗染服务"),
        1.5,
        2,
        (("XF", 0.7),),
        ("XF",),
        _t("WJW GAJ XF SCJG"),
        ("price", "after_sales"),
    ),
    Industry(
        "F5265",
        _t("石油 能源 石化"),
        (),
        _t("成品油零售 危险化学品经营"),
        _t("润滑油销售 日用百货销售 食品销售（仅销售预包装食品）"),
        0.8,
        0,
        (("QXJ", 0.6), ("XF", 0.5)),
        ("YJJ", "XF"),
        _t("SWUJ YJJ XF SCJG"),
        ("quality", "price"),
    ),
    Industry(
        "F5167",
        _t("农资 农业生产资料 农业科技"),
        _t("农资店 农药经营部 种子经营部"),
        _t("农药经营 种子经营 兽药经营"),
        _t("肥料销售 农业机械销售 农用薄膜销售"),
        1,
        2,
        (),
        (),
        _t("NYJ SCJG"),
        ("quality", "false_advertising"),
    ),
    Industry(
        "C3490",
        _t("精密机械制造 机械制造 机电设备 智能装备"),
        (),
        _t("金属表面处理（排污许可证另行申领）"),
        _t("通用设备制造（不含特种设备制造） 机械零部件加工 机械设备销售 五金产品批发"),
        3,
        0,
        (),
        ("STHJ", "YJJ"),
        _t("STHJ YJJ SCJG XF RSJ"),
        ("quality", "contract"),
    ),
    Industry(
        "C2669",
        _t("化工 新材料 化学"),
        (),
        _t("危险化学品经营 排放污染物（凭排污许可证）"),
        _t("化工产品销售（不含许可类化工产品） 专用化学产品制造（不含危险化学品）"),
        0.8,
        0,
        (("GXJ", 0.6), ("QXJ", 0.4)),
        ("YJJ", "STHJ"),
        _t("YJJ STHJ"),
        ("quality", "contract"),
    ),
    Industry(
        "D4511",
        _t("燃气 天然气 能源"),
        _t("液化气供应站"),
        _t("燃气经营"),
        _t("燃气器具销售 管道安装服务"),
        0.5,
        0.5,
        (("XF", 0.4),),
        ("YJJ",),
        _t("CGJ YJJ"),
        ("price", "after_sales"),
    ),
    Industry(
        "L7271",
        _t("保安服务 安保 安防科技"),
        (),
        _t("保安服务"),
        _t("安全技术防范系统设计施工服务 物业管理"),
        0.6,
        0,
        (),
        (),
        _t("GAJ"),
        ("contract", "other"),
    ),
    Industry(
        "J6633",
        _t("典当 典当行"),
        (),
        _t("典当业务"),
        _t("鉴定评估服务"),
        0.4,
        0,
        (),
        (),
        _t("JRB"),
        ("contract", "price"),
    ),
    Industry(
        "J6990",
        _t("融资担保 担保"),
        (),
        _t("融资担保业务"),
        _t("非融资担保服务 财务咨询"),
        0.4,
        0,
        (),
        (),
        _t("JRB"),
        ("contract", "other"),
    ),
    Industry(
        "F5226",
        _t("烟酒 商贸"),
        _t("烟酒商行 烟酒店"),
        _t("卷烟零售 食品销售"),
        _t("日用百货销售 茶叶销售"),
        0.4,
        4,
        (),
        (),
        _t("YCJ SCJG"),
        ("quality", "price"),
    ),
    Industry(
        "G5821",
        _t("国际货运代理 供应链 报关"),
        (),
        _t("报关业务"),
        _t("国际货物运输代理 进出口代理 货物进出口 国内货物运输代理"),
        0.8,
        0,
        (),
        (),
        _t("HG SCJG"),
        ("contract", "after_sales"),
    ),
    Industry(
        "C2011",
        _t("木业 木材 林业开发"),
        _t("木材加工厂 木材经营部"),
        _t("木材经营 林木种子经营"),
        _t("木材加工 人造板销售 家具制造"),
        0.6,
        0.6,
        (),
        ("STHJ",),
        _t("LYJ STHJ"),
        ("quality", "contract"),
    ),
    Industry(
        "C1525",
        _t("水业 饮用水 饮品"),
        (),
        _t("食品生产 取水"),
        _t("包装饮用水销售 日用百货销售"),
        0.5,
        0,
        (),
        ("STHJ",),
        _t("SLJ SCJG"),
        ("food_safety", "quality"),
    ),
    Industry(
        "Q8411",
        _t("医院 医疗"),
        (),
        _t("医疗服务 放射诊疗（辐射安全许可另行申领）"),
        _t("健康咨询服务（不含诊疗服务） 医学研究和试验发展"),
        0.4,
        0,
        (("XF", 0.5),),
        ("XF",),
        _t("WJW YBJ STHJ"),
        ("quality", "price"),
    ),
    Industry(
        "A0141",
        _t("农业开发 生态农业 农业科技"),
        (),
        _t("农作物种子生产"),
        _t("蔬菜种植 水果种植 农产品的生产、销售、加工、运输、贮藏及其他相关服务"),
        1.5,
        0,
        (),
        (),
        _t("NYJ ZRZY"),
        ("quality", "contract"),
    ),
    Industry(
        "L7243",
        _t("企业管理咨询 商务咨询 文化传媒 广告"),
        _t("广告部 图文设计部 打印店"),
        (),
        _t("企业管理咨询 广告设计、代理 广告制作 市场营销策划 会议及展览服务"),
        6,
        2,
        (),
        (),
        _t("SCJG TJJ"),
        ("contract", "false_advertising"),
    ),
    Industry(
        "O8111",
        _t("汽车服务 汽车维修"),
        _t("汽车修理厂 汽车美容店 汽修店"),
        (),
        _t("机动车修理和维护 汽车零配件零售 洗车服务"),
        1.5,
        3,
        (),
        ("STHJ",),
        _t("STHJ JTJ SCJG"),
        ("quality", "price", "after_sales"),
    ),
    Industry(
        "E5012",
        _t("装饰工程 装饰设计 装修"),
        _t("装饰部 装饰工作室"),
        (),
        _t("住宅室内装饰装修 建筑装饰材料销售 家具安装和维修服务"),
        3,
        2,
        (),
        (),
        _t("ZJJ CGJ SCJG"),
        ("contract", "quality"),
    ),
)


def _org_industry(
    code: str, extra: tuple = (), inspect: tuple = (), penal: tuple = (), complaints: tuple = ()
) -> Industry:
    return Industry(
        code, (), (), (), (), 0, 0, extra, inspect, penal, complaints or ("quality", "contract", "other")
    )


# Industries of social organisations, public institutions and agencies: who licenses, inspects, punishes them.
ORG_INDUSTRIES = {
    "S9622": _org_industry("S9622", penal=("MZJ",)),
    "P8391": _org_industry("P8391", (("XF", 0.3),), ("XF",), ("MZJ", "JYJ")),
    "P8310": _org_industry("P8310", (("XF", 0.5),), ("XF",), ("MZJ", "JYJ", "WJW")),
    "Q8514": _org_industry("Q8514", (("XF", 0.6),), ("XF",), ("MZJ", "XF", "WJW")),
    "Q8425": _org_industry("Q8425", (), (), ("MZJ", "WJW", "YBJ")),
    "S9630": _org_industry("S9630", penal=("MZJ",)),
    "Q8411": _org_industry("Q8411", (("XF", 0.8),), ("XF",), ("WJW", "YBJ", "STHJ", "XF")),
    "P8334": _org_industry("P8334", (("XF", 0.5),), ("XF",), ("JYJ", "XF")),
    "Q8423": _org_industry("Q8423", (), (), ("WJW", "YBJ")),
    "Q8431": _org_industry("Q8431", (), (), ("XF",)),
    "M7330": _org_industry("M7330", (), (), ("XF", "TJJ")),
    "S9324": _org_industry("S9324", (), (), ("SWJ",)),
}

SUBJECT_TYPES = (  # (type, weight): a city's registry is mostly individual businesses and enterprises
    ("enterprise", 33.0),
    ("individual_business", 62.0),
    ("farmer_cooperative", 2.3),
    ("social_organization", 1.2),
    ("public_institution", 1.0),
    ("government_agency", 0.5),
)
COOP_PRODUCTS = (  # (industry code, product, extra scope items)
    ("A0111", "水稻种植", "农作物种子经营"),
    ("A0141", "蔬菜种植", "农药经营"),
    ("A0313", "生猪养殖", "兽药经营"),
    ("A0412", "水产养殖", "取水"),
    ("A0159", "果业", "农作物种子经营"),
    ("A0164", "茶叶种植", ""),
    ("A0321", "家禽养殖", "兽药经营"),
)
CATALOG_YEARS = {  # validity in years of a licence; 0: no end
    "道路运输经营许可证": 4,
    "娱乐经营许可证": 2,
    "网络文化经营许可证": 3,
    "房地产开发企业资质证书": 3,
    "报关企业备案": 0,
    "林草种子生产经营许可证": 5,
}
EXTRA_LICENCES = {  # licences of departments outside the post-licence catalogue
    "ZRZY": ("建设工程规划许可证", 0, "核准"),
    "XF": ("公众聚集场所投入使用、营业前消防安全检查合格证", 0, "普通"),
    "QXJ": ("防雷装置设计审核和竣工验收许可", 0, "核准"),
    "GXJ": ("第二类监控化学品经营许可", 5, "特许"),
}
DEPT_SHORT = {  # abbreviations used in document numbers
    "SCJG": "洪市监",
    "SWJ": "洪税",
    "RSJ": "洪人社",
    "STHJ": "洪环",
    "ZJJ": "洪建",
    "JTJ": "洪交",
    "YJJ": "洪应急",
    "WJW": "洪卫",
    "WGLJ": "洪文旅",
    "NYJ": "洪农",
    "SWUJ": "洪商务",
    "GAJ": "洪公",
    "JYJ": "洪教",
    "ZRZY": "洪自然资",
    "CGJ": "洪城管",
    "SLJ": "洪水",
    "LYJ": "洪林",
    "YJJD": "赣药监洪",
    "JRB": "洪金融",
    "TJJ": "洪统",
    "FGW": "洪发改",
    "HG": "昌关",
    "YCJ": "洪烟",
    "XF": "洪消",
    "QXJ": "洪气",
    "YBJ": "洪医保",
    "MZJ": "洪民",
}
SCJG_BRANCH_SHORT = {  # district branches of the market regulator sign their own decisions
    "360102": "东市监",
    "360103": "西市监",
    "360104": "青市监",
    "360111": "湖市监",
    "360112": "新市监",
    "360113": "红市监",
    "360121": "南县市监",
    "360123": "安市监",
    "360124": "进市监",
}
# Violations by department: (violation type, facts, legal basis). Fines are drawn by severity.
VIOLATIONS = {
    "SCJG": (
        ("食品安全", "经营超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条"),
        ("价格违法", "未按规定明码标价", "《中华人民共和国价格法》第四十二条"),
        ("虚假宣传", "对商品的性能、功能作虚假的商业宣传", "《中华人民共和国反不正当竞争法》第二十条"),
        ("产品质量", "销售不合格产品", "《中华人民共和国产品质量法》第四十九条"),
        ("无照经营", "未依法取得营业执照从事经营活动", "《无证无照经营查处办法》第十三条"),
        ("商标侵权", "销售侵犯注册商标专用权的商品", "《中华人民共和国商标法》第六十条"),
        ("计量违法", "使用未经检定的计量器具", "《中华人民共和国计量法实施细则》第四十三条"),
    ),
    "SWJ": (
        (
            "税收征管",
            "未按照规定期限办理纳税申报和报送纳税资料",
            "《中华人民共和国税收征收管理法》第六十二条",
        ),
        ("发票管理", "未按规定开具发票", "《中华人民共和国发票管理办法》第三十三条"),
        ("偷税", "虚假申报少缴税款", "《中华人民共和国税收征收管理法》第六十三条"),
    ),
    "RSJ": (
        ("劳动保障", "未按规定与劳动者订立书面劳动合同", "《中华人民共和国劳动合同法》第八十二条"),
        ("劳动保障", "拖欠劳动者工资", "《保障农民工工资支付条例》第五十五条"),
        ("劳动保障", "违反工作时间和休息休假规定", "《劳动保障监察条例》第二十五条"),
    ),
    "STHJ": (
        ("环境污染", "超标排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条"),
        (
            "环境污染",
            "未按规定设置危险废物识别标志",
            "《中华人民共和国固体废物污染环境防治法》第一百一十二条",
        ),
        ("环境污染", "未依法取得排污许可证排放污染物", "《排污许可管理条例》第三十三条"),
    ),
    "ZJJ": (
        ("建设工程", "未取得施工许可证擅自施工", "《建设工程质量管理条例》第五十七条"),
        ("建设工程", "施工现场扬尘防治措施不到位", "《中华人民共和国大气污染防治法》第一百一十五条"),
        ("房地产", "未取得商品房预售许可证预售商品房", "《城市房地产开发经营管理条例》第三十九条"),
    ),
    "JTJ": (
        ("道路运输", "未按规定维护和检测运输车辆", "《中华人民共和国道路运输条例》第七十条"),
        ("道路运输", "未取得道路运输经营许可擅自从事经营", "《中华人民共和国道路运输条例》第六十三条"),
    ),
    "YJJ": (
        ("安全生产", "未按规定对从业人员进行安全生产教育和培训", "《中华人民共和国安全生产法》第九十七条"),
        ("安全生产", "未对重大危险源登记建档", "《中华人民共和国安全生产法》第一百零一条"),
    ),
    "WJW": (
        ("医疗卫生", "使用非卫生技术人员从事医疗卫生技术工作", "《医疗机构管理条例》第四十七条"),
        (
            "公共场所卫生",
            "未取得健康合格证明的从业人员从事直接为顾客服务工作",
            "《公共场所卫生管理条例实施细则》第三十八条",
        ),
    ),
    "WGLJ": (
        ("文化市场", "接纳未成年人进入营业场所", "《互联网上网服务营业场所管理条例》第三十一条"),
        ("文化市场", "超时营业", "《娱乐场所管理条例》第四十八条"),
        ("旅游市场", "未与旅游者签订旅游合同", "《中华人民共和国旅游法》第九十五条"),
    ),
    "NYJ": (
        ("农资质量", "经营假农药", "《农药管理条例》第五十五条"),
        ("农资质量", "经营未经审定的农作物品种种子", "《中华人民共和国种子法》第七十七条"),
    ),
    "SWUJ": (
        ("商贸流通", "发行单用途商业预付卡未按规定备案", "《单用途商业预付卡管理办法（试行）》第三十六条"),
        ("成品油", "成品油零售企业违规经营", "《成品油市场管理办法》第四十二条"),
    ),
    "GAJ": (
        ("治安管理", "旅馆业工作人员未按规定登记住宿旅客信息", "《中华人民共和国反恐怖主义法》第八十六条"),
        ("治安管理", "保安服务公司未按规定进行备案", "《保安服务管理条例》第四十二条"),
    ),
    "JYJ": (
        ("教育", "未经批准擅自举办培训机构", "《中华人民共和国民办教育促进法》第六十四条"),
        ("教育", "违规收取培训费用", "《中华人民共和国民办教育促进法》第六十二条"),
    ),
    "ZRZY": (
        ("土地管理", "未经批准非法占用土地", "《中华人民共和国土地管理法》第七十七条"),
        ("城乡规划", "未按建设工程规划许可证规定进行建设", "《中华人民共和国城乡规划法》第六十四条"),
    ),
    "CGJ": (
        ("市容管理", "擅自设置户外广告设施", "《城市市容和环境卫生管理条例》第三十六条"),
        ("市容管理", "占道经营", "《南昌市城市市容和环境卫生管理条例》第四十五条"),
        ("燃气管理", "燃气经营者未按规定进行安全检查", "《城镇燃气管理条例》第四十七条"),
    ),
    "SLJ": (
        ("水资源", "未经批准擅自取水", "《中华人民共和国水法》第六十九条"),
        ("河道管理", "未经批准在河道管理范围内采砂", "《中华人民共和国河道管理条例》第四十四条"),
    ),
    "LYJ": (
        ("林业", "无证收购、加工木材", "《江西省林木采伐管理办法》第三十条"),
        ("林业", "滥伐林木", "《中华人民共和国森林法》第七十六条"),
    ),
    "YJJD": (
        ("药品管理", "未按规定实施《药品经营质量管理规范》", "《中华人民共和国药品管理法》第一百二十六条"),
        ("药品管理", "销售劣药", "《中华人民共和国药品管理法》第一百一十七条"),
        ("医疗器械", "经营未取得医疗器械注册证的第二类医疗器械", "《医疗器械监督管理条例》第八十一条"),
    ),
    "JRB": (
        ("地方金融", "典当行违规发放信用贷款", "《典当管理办法》第六十三条"),
        ("地方金融", "融资担保公司未按规定报送经营报告", "《融资担保公司监督管理条例》第三十七条"),
    ),
    "TJJ": (
        ("统计违法", "拒绝提供统计资料", "《中华人民共和国统计法》第四十一条"),
        ("统计违法", "迟报统计资料", "《中华人民共和国统计法》第四十二条"),
    ),
    "FGW": (
        ("节能管理", "未按规定进行节能审查擅自开工建设", "《中华人民共和国节约能源法》第六十八条"),
        ("招标投标", "依法必须招标的项目不招标", "《中华人民共和国招标投标法》第四十九条"),
    ),
    "HG": (
        ("海关监管", "进出口货物申报不实", "《中华人民共和国海关行政处罚实施条例》第十五条"),
        ("海关监管", "报关企业未按规定办理变更手续", "《中华人民共和国海关报关单位备案管理规定》第十八条"),
    ),
    "YCJ": (
        (
            "烟草专卖",
            "无烟草专卖零售许可证经营烟草制品零售业务",
            "《中华人民共和国烟草专卖法实施条例》第五十七条",
        ),
        ("烟草专卖", "从非指定渠道购进卷烟", "《中华人民共和国烟草专卖法实施条例》第五十六条"),
    ),
    "XF": (
        ("消防安全", "消防设施、器材未保持完好有效", "《中华人民共和国消防法》第六十条"),
        ("消防安全", "占用、堵塞、封闭疏散通道、安全出口", "《中华人民共和国消防法》第六十条"),
        ("消防安全", "公众聚集场所未经消防安全检查擅自投入使用", "《中华人民共和国消防法》第五十八条"),
    ),
    "QXJ": (("气象管理", "防雷装置未经定期检测", "《气象灾害防御条例》第四十五条"),),
    "YBJ": (
        ("医疗保障", "将不属于医保基金支付范围的费用纳入结算", "《医疗保障基金使用监督管理条例》第三十八条"),
        ("医疗保障", "未按规定保管财务账目、会计凭证", "《医疗保障基金使用监督管理条例》第三十九条"),
    ),
    "MZJ": (
        ("社会组织管理", "未按规定参加年度检查", "《社会团体登记管理条例》第三十条"),
        ("社会组织管理", "违反规定收取费用、募集资金", "《民办非企业单位登记管理暂行条例》第二十五条"),
    ),
}
GENERAL_PENALTY_DEPTS = (  # (department, weight) for penalties not tied to the industry
    ("SCJG", 30),
    ("SWJ", 16),
    ("CGJ", 8),
    ("XF", 6),
    ("RSJ", 6),
    ("STHJ", 5),
    ("TJJ", 4),
    ("YBJ", 3),
    ("FGW", 2),
    ("QXJ", 2),
    ("ZRZY", 2),
    ("SLJ", 1),
    ("YJJ", 2),
    ("HG", 1),
    ("GAJ", 2),
    ("YCJ", 1),
)
# Heavy (orange) and restrictive (red) categories a department may impose.
RESTRICTIVE_BY_DEPT = {
    "SCJG": ("revoke_license", "order_suspension", "restrict_practice"),
    "STHJ": ("order_suspension", "order_closure"),
    "YJJ": ("order_suspension", "order_closure"),
    "XF": ("order_suspension",),
    "YJJD": ("revoke_license", "restrict_practice"),
    "WJW": ("revoke_license",),
    "WGLJ": ("revoke_license", "order_suspension"),
    "JTJ": ("revoke_license",),
    "ZJJ": ("order_suspension",),
    "YCJ": ("revoke_license",),
    "NYJ": ("revoke_license",),
    "GAJ": ("revoke_license",),
    "JRB": ("revoke_license",),
    "MZJ": ("order_closure",),
    "CGJ": ("revoke_license",),
}
HEAVY_BY_DEPT = {
    "ZJJ": ("lower_qualification", "suspend_license"),
    "JTJ": ("suspend_license",),
    "YJJD": ("suspend_license", "confiscate_illegal_gains"),
    "SCJG": ("confiscate_illegal_gains", "confiscate_illegal_property"),
    "WGLJ": ("confiscate_illegal_gains", "restrict_production"),
    "YJJ": ("restrict_production",),
    "STHJ": ("restrict_production",),
    "MZJ": ("restrict_production", "confiscate_illegal_gains"),
}
SERIOUS_REASONS = (
    "提交虚假材料或者采取其他欺诈手段隐瞒重要事实，取得公司登记",
    "因食品安全违法行为受到较重行政处罚",
    "因发布虚假广告受到较重行政处罚且情节严重",
    "拒不履行生效行政处罚决定",
)
SERIOUS_FROM_ABNORMAL = "被列入经营异常名录届满3年仍未履行相关义务"
COURTS = (  # (court, case number prefix)
    ("南昌市中级人民法院", "赣01"),
    ("南昌市东湖区人民法院", "赣0102"),
    ("南昌市西湖区人民法院", "赣0103"),
    ("南昌市青云谱区人民法院", "赣0104"),
    ("南昌市青山湖区人民法院", "赣0111"),
    ("南昌市新建区人民法院", "赣0112"),
    ("南昌市红谷滩区人民法院", "赣0113"),
    ("南昌县人民法院", "赣0121"),
    ("安义县人民法院", "赣0123"),
    ("进贤县人民法院", "赣0124"),
)
CAUSES = _t(
    "买卖合同纠纷 借款合同纠纷 金融借款合同纠纷 劳动争议 租赁合同纠纷 建设工程施工合同纠纷 民间借贷纠纷 "
    "服务合同纠纷 追索劳动报酬纠纷 房屋租赁合同纠纷 侵害商标权纠纷 承揽合同纠纷 运输合同纠纷"
)
BANKS = _t(
    "中国工商银行股份有限公司南昌分行 中国建设银行股份有限公司南昌分行 中国农业银行股份有限公司南昌分行 "
    "江西银行股份有限公司 九江银行股份有限公司南昌分行 南昌农村商业银行股份有限公司 赣州银行股份有限公司南昌分行"
)
UTILITIES = _t("南昌水业集团有限责任公司 国网江西省电力有限公司南昌供电分公司 南昌市燃气集团有限公司")
COMPLAINT_TEXT = {
    "quality": ("消费者反映购买的商品存在质量问题，要求退货", "反映商品使用不久即出现故障"),
    "price": ("反映商家未明码标价", "反映结账价格高于标示价格"),
    "contract": ("反映商家未按合同约定履行义务", "反映预付款退费困难"),
    "after_sales": ("反映商家拒绝提供售后维修服务", "反映商家拖延退款"),
    "false_advertising": ("反映商家宣传与实际不符", "反映商家夸大宣传商品功效"),
    "food_safety": ("反映购买的食品已过保质期", "反映就餐后出现身体不适，怀疑食品不洁"),
    "other": ("反映商家服务态度差", "反映商家噪音扰民"),
}
HONORS = {  # department -> (honor, validity in years, 0: none) ; for green subjects only
    "SCJG": (("江西省“守合同重信用”企业", 2), ("南昌市放心消费示范单位", 2)),
    "SWJ": (("纳税信用A级纳税人", 1),),
    "ZJJ": (("江西省优质建设工程“杜鹃花奖”", 0), ("南昌市建筑施工安全生产标准化示范工地", 2)),
    "FGW": (("南昌市服务业龙头企业", 3), ("南昌市重点项目建设先进单位", 0)),
    "GXJ": (("江西省专精特新中小企业", 3), ("南昌市工业企业技术中心", 3)),
}
ARREARS_MIX = (  # (type, department, weight)
    ("utilities", "SDQ", 35),
    ("social_security", "RSJ", 18),
    ("tax", "SWJ", 20),
    ("medical_insurance", "YBJ", 10),
    ("loan", "RMYH", 9),
    ("disability_fund", "CL", 6),
    ("wages", "RSJ", 2),
)
ARREARS_CDF = [
    sum(w for *_, w in ARREARS_MIX[: i + 1]) / sum(w for *_, w in ARREARS_MIX)
    for i in range(len(ARREARS_MIX))
]
ARREARS_CDF[-1] = 1.0
ARREARS_AMOUNT = {  # 万元, drawn log-uniformly
    "tax": (0.1, 500.0),
    "loan": (10.0, 5000.0),
    "social_security": (0.5, 100.0),
    "medical_insurance": (0.2, 50.0),
    "wages": (1.0, 300.0),
    "disability_fund": (0.1, 20.0),
    "utilities": (0.05, 30.0),
}
LICENCE_CATEGORY = {
    "烟草专卖零售许可证": "franchise",
    "出租汽车经营许可": "franchise",
    "建筑业企业资质证书": "accreditation",
    "房地产开发企业资质证书": "accreditation",
    "报关企业备案": "registration",
    "建设工程规划许可证": "approval",
    "防雷装置设计审核和竣工验收许可": "approval",
    "第二类监控化学品经营许可": "franchise",
    "公众聚集场所投入使用、营业前消防安全检查合格证": "ordinary",
    "排污许可证": "approval",
}
LICENCE_CONTENT = {
    "食品经营许可证": "预包装食品销售；散装食品销售；热食类食品制售",
    "食品生产许可证": "糕点；饮料",
    "药品经营许可证": "中成药、化学药制剂、抗生素制剂、生化药品",
    "烟草专卖零售许可证": "卷烟、雪茄烟零售",
    "道路运输经营许可证": "道路普通货物运输",
    "医疗机构执业许可证": "内科；外科；口腔科；医学影像科",
    "公共场所卫生许可证": "住宿；美容美发",
    "排污许可证": "大气污染物、水污染物排放",
    "建筑业企业资质证书": "建筑工程施工总承包三级",
    "娱乐经营许可证": "歌舞娱乐场所",
}
LICENCE_NUMBER = {
    "食品经营许可证": "JY1{area}{seq:07d}",
    "食品生产许可证": "SC106{area}{seq:05d}",
    "药品经营许可证": "赣DA791{seq:04d}",
    "医疗器械经营许可证": "赣洪药监械经营许{year}{seq:04d}号",
    "危险化学品经营许可证": "赣洪危化经字〔{year}〕{seq:06d}",
    "道路运输经营许可证": "赣交运管许可洪字{area}{seq:06d}号",
    "出租汽车经营许可": "洪交出租许〔{year}〕{seq}号",
    "娱乐经营许可证": "{area}12{seq:04d}",
    "网络文化经营许可证": "赣网文〔{year}〕{seq:04d}号",
    "旅行社业务经营许可证": "L-JX-{seq:05d}",
    "出版物经营许可证": "新出发洪字第{area}{seq:04d}号",
    "人力资源服务许可证": "{area}{year}{seq:04d}",
    "劳务派遣经营许可证": "{area}{year}{seq:04d}",
    "民办学校办学许可证": "教民{area}7{seq:08d}号",
    "医疗机构执业许可证": "PDY{seq:05d}{area}17A1002",
    "公共场所卫生许可证": "洪卫公证字〔{year}〕第{seq:05d}号",
    "建筑业企业资质证书": "D3{area}{seq:04d}",
    "房地产开发企业资质证书": "洪房开{year}{seq:04d}",
    "燃气经营许可证": "赣{year}{area}{seq:04d}G",
    "成品油零售经营批准证书": "油零售证书第3601{seq:04d}号",
    "保安服务许可证": "赣公保服{year}{seq:03d}号",
    "典当经营许可证": "3601{seq:04d}",
    "融资担保业务经营许可证": "赣{area}{seq:04d}",
    "烟草专卖零售许可证": "{area}1{seq:05d}",
    "农药经营许可证": "农药经许（赣）{area}{seq:04d}",
    "农作物种子生产经营许可证": "D（赣南昌）农种许字（{year}）第{seq:04d}号",
    "兽药经营许可证": "（{year}）兽药经营证字{area}{seq:04d}号",
    "排污许可证": "{uscc}001V",
    "辐射安全许可证": "赣环辐证[{seq:05d}]",
    "取水许可证": "取水（赣洪）字[{year}]第{seq:04d}号",
    "林草种子生产经营许可证": "（赣）林草种许证字（{year}）{seq:04d}号",
    "报关企业备案": "36019{seq:05d}",
    "建设工程规划许可证": "建字第3601{year}{seq:05d}号",
    "公众聚集场所投入使用、营业前消防安全检查合格证": "洪消检字〔{year}〕第{seq:04d}号",
    "防雷装置设计审核和竣工验收许可": "洪气防设审〔{year}〕{seq:03d}号",
    "第二类监控化学品经营许可": "HW-{area}{seq:04d}",
}


def licence_number(name: str, uscc: str, dept: str, year: int, seq: int) -> str:
    """A licence number in the format its issuing department uses."""
    pattern = LICENCE_NUMBER.get(name)
    if pattern is None:
        return f"{DEPT_SHORT.get(dept, '洪')}许〔{year}〕{seq}号"
    return pattern.format(area=uscc[2:8], year=year, seq=seq, uscc=uscc)


INSPECTION_TASKS = {
    "SCJG": ("{y}年南昌市市场监管领域部门联合“双随机、一公开”抽查（第{n}批）", "random"),
    "STHJ": ("{y}年排污单位“双随机”执法检查", "random"),
    "YJJ": ("{y}年危险化学品安全专项检查", "special"),
    "YJJD": ("{y}年药品经营企业日常监督检查", "routine"),
    "XF": ("{y}年消防安全检查（第{n}轮）", "routine"),
}


# --------------------------------------------------------------------------- value spellings


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _label(enum: str, code: str) -> str:
    spellings = contract.ENUMS[enum][code]
    for s in spellings:
        if not s.isascii():
            return s
    return spellings[0] if spellings else code


# What "code style" writes: the contract's code, except where departments write something else.
_CODE_STYLE_ENUMS = {
    "subject_type",
    "arrears_type",
    "right_type",
    "license_status",
    "op",
    "complaint_channel",
}
_CODE_SPELLING = {("license_status", "valid"): "1", ("license_status", "invalid"): "2"}
ENUM_SPELLINGS: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = {}
for _enum, _codes in contract.ENUMS.items():
    ENUM_SPELLINGS[_enum] = {}
    for _code, _spellings in _codes.items():
        _lab = _label(_enum, _code)
        _as_code = _CODE_SPELLING.get((_enum, _code), _code if _enum in _CODE_STYLE_ENUMS else _lab)
        ENUM_SPELLINGS[_enum][_code] = (_as_code, _lab, tuple(s for s in _spellings if s != _lab) or (_lab,))

WRONG_ENUMS = {  # spellings departments use that the contract does not know
    "subject_type": ("外资企业", "私营企业"),
    "registration_status": ("开业", "正常"),
    "subject_category": ("企业法人", "法人单位"),
    "license_category": ("一般", "备案"),
    "license_status": ("正常", "3"),
    "penalty_category": ("责令改正", "罚金", "限期整改"),
    "procedure": ("一般", "听证程序"),
    "abnormal_reason": ("年报未报", "其他"),
    "party_role": ("上诉人", "被申请人"),
    "performance": ("未履行", "已履行"),
    "arrears_type": ("欠费", "其他欠款"),
    "right_type": ("质押", "抵押"),
    "right_status": ("正常", "注销"),
    "complaint_channel": ("电话", "12358"),
    "complaint_category": ("服务态度", "噪音"),
    "handling_status": ("处理中", "已办结"),
    "mediation_result": ("和解", "撤诉"),
    "inspection_type": ("随机", "日常巡查"),
    "inspection_result": ("合格", "不合格"),
    "op": ("修改", "作废"),
}
BAD_DATES = ("{y}-02-30", "{y}.13.{d}", "{y}年{m}月", "{y}-{m}-{d}-", "{m}/{d}/{y}", "{y}-{m}-{d}日期待核实")
BAD_AMOUNTS = ("约{a}万", "{a}万余元", "￥{a},00", "伍万元", "-{a}", "{a}.{a}.5", "待定")
EXTRA_COLUMNS = ("数据批次号", "报送单位", "填报人")

# Fields a stream may leave out (a department's export omits them); everything else is always written.
DROPPABLE = {
    "registration": {"approved_on", "enterprise_type", "legal_rep_id_type", "operating_from", "operating_to"},
    "license": {
        "decision_document_name",
        "remark",
        "data_source",
        "data_source_uscc",
        "content",
        "legal_rep_id_type",
        "authority_uscc",
        "license_category",
    },
    "penalty": {
        "remark",
        "data_source",
        "data_source_uscc",
        "penalty_valid_to",
        "suspended_or_revoked_license",
        "legal_basis",
        "legal_rep_id_type",
        "authority_uscc",
        "confiscation_amount",
        "violation_facts",
    },
    "court_judgment": {"result_summary", "cause"},
    "dishonest_debtor": {"obligation", "basis_document", "dishonest_behavior", "legal_representative"},
    "annual_report": {"website", "email", "employees"},
    "complaint": {"summary", "channel"},
    "arrears": {"creditor"},
    "property_right": {"registration_no", "counterparty", "amount"},
    "inspection": {"task_name"},
    "abnormal_listing": {"listing_document_number", "removal_authority"},
    "serious_violation": {"document_number"},
    "honor": set(),
}


def _date_iso(o: int) -> str:
    return date.fromordinal(o).isoformat()


def _date_slash(o: int) -> str:
    d = date.fromordinal(o)
    return f"{d.year}/{d.month}/{d.day}"


def _date_compact(o: int) -> str:
    return date.fromordinal(o).strftime("%Y%m%d")


def _date_chinese(o: int) -> str:
    d = date.fromordinal(o)
    return f"{d.year}年{d.month}月{d.day}日"


def _time_full(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"


def _time_short(sec: int) -> str:
    return f"{sec // 3600}:{sec // 60 % 60:02d}:{sec % 60:02d}"


def _time_minutes(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec // 60 % 60:02d}"


_DATE_STYLES = (_date_iso, _date_slash, _date_compact, _date_chinese)
_TIME_STYLES = (_time_full, _time_full, _time_short, _time_minutes)  # by Style.stamp


class _Formatted(dict):
    """Formatted values by key, computed once (a city has a few thousand distinct days)."""

    def __init__(self, fn: Callable):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


_DATE_CACHES = [_Formatted(fn) for fn in _DATE_STYLES]
_TIME_CACHES = [_Formatted(fn) for fn in _TIME_STYLES]


class Raw(str):
    """A value written exactly as given (a deliberately bad spelling): no formatting applied."""

    __slots__ = ()


FOREVER = -1  # open end of an OPEN_DATE field


# --------------------------------------------------------------------------- file styles


@dataclass
class Style:
    """How one department exports one kind: its format, encoding, header and value spellings."""

    format: str  # csv / jsonl / xml
    encoding: str  # utf-8 / utf-8-sig / gb18030
    header: str  # key / code / label
    gzip: bool
    date: int  # 0 2017-03-05, 1 2017/3/5, 2 20170305, 3 2017年3月5日, 4 mixed
    stamp: int  # 0 "2017-03-05 14:20:00", 1 ISO "T", 2 "2017/3/5 14:20:00", 3 without seconds
    enum: int  # 0 code, 1 label, 2 mixed
    amount: int  # 0 plain, 1 thousands separators, 2 messy (separators, full-width, unit)
    null: str
    sep: str
    crlf: bool
    shuffle: bool
    extra: str | None
    forever: str
    json_numbers: bool
    empty_elements: bool
    id_style: int
    op: str  # how an upsert is written


def spelling(field: contract.Field, header: str, labels_allowed: bool = True) -> str:
    """The name a field gets in a header: its canonical key, its 双公示 code or its Chinese label.

    A field without a 双公示 code is written with its label in a "code" CSV header (as the
    departments' 双公示 exports do) and with its key in JSON Lines and XML, whose element
    names are canonical keys or codes only.
    """
    codes = [a for a in field.aliases if a.isascii() and a.isupper()]
    labels = [a for a in field.aliases if not a.isascii()]
    if header == "code" and codes:
        return codes[0]
    if header in ("code", "label") and labels and labels_allowed:
        return labels[0]
    return field.key


# --------------------------------------------------------------------------- streams


@dataclass(frozen=True)
class StreamSpec:
    """One (department, kind) feed: its file style, columns and header, fixed by the seed."""

    dept: Department
    kind: str
    style: Style
    columns: tuple[str, ...]
    names: tuple[str, ...]
    stamp: str
    corrections_stamp: str
    extra: tuple[str, str] | None  # an unknown column the department adds: (header, value)


class _Renderer:
    """Turns typed records of one stream into text lines as its department writes them (one block)."""

    def __init__(self, block: _Block, spec: StreamSpec, id_base: int):
        self.spec = spec
        self.dept = spec.dept
        self.kind = spec.kind
        self.style = style = spec.style
        self.columns = spec.columns
        self.column_set = frozenset(spec.columns)
        self.conv = dict(block.converters(contract.KINDS[spec.kind], style, self.column_set))
        self.typed = [(i, self.conv[k]) for i, k in enumerate(spec.columns) if k in self.conv]
        self.tags = [(f"<{n}>", f"</{n}>") for n in spec.names]
        self.names = spec.names
        self.null = style.null or None  # None: csv writes a missing value as ""
        self.extra_value = spec.extra[1] if spec.extra else None
        self.lines: tuple[list[str], list[str]] = ([], [])  # main, corrections
        self.writers = tuple(
            csv.writer(SimpleNamespace(write=lines.append), lineterminator="\r\n" if style.crlf else "\n")
            for lines in self.lines
        )
        self.seq = id_base
        self.seq_end = id_base + ID_STRIDE
        self.rng = block.rng
        self.count = 0

    def next_id(self, year: int) -> str:
        self.seq += 1
        if self.seq >= self.seq_end:
            raise RuntimeError(f"more than {ID_STRIDE} {self.kind} records of {self.dept.code} in one block")
        st = self.style.id_style
        if st == 0:
            return f"{KIND_PREFIX[self.kind]}-{year}-{self.seq:08d}"
        if st == 1:
            return f"{self.dept.code}{KIND_PREFIX[self.kind]}{year}{self.seq:09d}"
        return f"{self.rng.getrandbits(128):032x}"

    def text(self, key: str, value):
        """A typed value as this stream writes it (deterministic converters only, e.g. updated_at)."""
        fn = self.conv.get(key)
        return value if fn is None or value.__class__ is Raw else fn(value)

    def emit(self, rec: dict, corrections: bool = False) -> None:
        """Append the record's line, its typed values written as this department writes them.

        `rec` is left typed, so that a caller may send another version of it.
        """
        self.count += 1
        values = list(map(rec.get, self.columns))
        for i, f in self.typed:
            v = values[i]
            if v is not None and v.__class__ is not Raw:
                values[i] = f(v)
        fmt = self.style.format
        if fmt == "csv":
            null = self.null
            row = values if null is None else [null if v is None else v for v in values]
            if self.extra_value is not None:
                row.insert(0, self.extra_value)
            self.writers[corrections].writerow(row)
            return
        if fmt == "jsonl":
            if self.style.empty_elements:
                obj = dict(zip(self.names, values, strict=True))
            else:
                obj = {n: v for n, v in zip(self.names, values, strict=True) if v is not None}
            self.lines[corrections].append(json.dumps(obj, ensure_ascii=False) + "\n")
            return
        vals = values
        if "&" in (joined := "".join([v for v in vals if v is not None])) or "<" in joined:
            vals = [None if v is None else _xml_escape(v) for v in vals]
        if self.style.empty_elements:
            parts = [o + c if v is None else f"{o}{v}{c}" for (o, c), v in zip(self.tags, vals, strict=True)]
        else:
            parts = [f"{o}{v}{c}" for (o, c), v in zip(self.tags, vals, strict=True) if v is not None]
        self.lines[corrections].append("  <record>" + "".join(parts) + "</record>\n")


class _FileWriter:
    """Writes rendered lines of one (department, kind, role) into files rotating at max records.

    A file is written under a temporary name and renamed when complete, as departments do
    (contract §1), so that a collector polling the inbox never reads half a file.
    """

    def __init__(self, out: Path, spec: StreamSpec, role: str, max_per_file: int, on_file: Callable):
        self.out = out
        self.spec = spec
        self.role = role
        self.stamp = spec.stamp if role == "main" else spec.corrections_stamp
        self.max_per_file = max_per_file
        self.on_file = on_file
        self.folder = out / spec.dept.code
        self.part = 0
        self.count = 0
        self.total = 0
        self.rotated = False
        self.handle = None
        self.gz = None
        self.text = None
        self.tmp_path: Path | None = None

    def _open(self) -> None:
        style = self.spec.style
        self.part += 1
        self.count = 0
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tmp_path = self.folder / f".{self.spec.kind}_{self.stamp}_{self.role}_{self.part}.part"
        self.handle = open(self.tmp_path, "wb")  # noqa: SIM115 - closed in _close
        raw = self.handle
        self.gz = None
        if style.gzip:
            self.gz = raw = gzip.GzipFile(
                filename="", mode="wb", fileobj=self.handle, mtime=0, compresslevel=1
            )
        self.text = io.TextIOWrapper(raw, encoding=style.encoding, newline="")
        if style.format == "csv":
            header = ([self.spec.extra[0]] if self.spec.extra else []) + list(self.spec.names)
            csv.writer(self.text, lineterminator="\r\n" if style.crlf else "\n").writerow(header)
        elif style.format == "xml":
            declared = "GB18030" if style.encoding == "gb18030" else "UTF-8"
            self.text.write(
                f'<?xml version="1.0" encoding="{declared}"?>\n<records kind="{self.spec.kind}">\n'
            )

    def _close(self, numbered: bool) -> None:
        if self.handle is None:
            return
        if self.spec.style.format == "xml":
            self.text.write("</records>\n")
        self.text.close()
        if not self.handle.closed:
            self.handle.close()
        suffix = "" if self.role == "main" else f"_{self.role}"
        part = f"_{self.part:04d}" if numbered else ""
        ext = self.spec.style.format + (".gz" if self.spec.style.gzip else "")
        final = self.folder / f"{self.spec.kind}_{self.stamp}{suffix}{part}.{ext}"
        os.replace(self.tmp_path, final)
        self.on_file(self, final, self.count)
        self.handle = None

    def write_lines(self, lines: list[str]) -> None:
        i = 0
        while i < len(lines):
            if self.handle is None:
                self._open()
            elif self.count >= self.max_per_file:
                self.rotated = True
                self._close(True)
                self._open()
            chunk = lines[i : i + self.max_per_file - self.count]
            self.text.write("".join(chunk))
            self.count += len(chunk)
            self.total += len(chunk)
            i += len(chunk)

    def close(self, always: bool = False) -> None:
        """Close the last file; a main feed with no records still gets its (empty) file."""
        if self.handle is None and self.total == 0 and always:
            self._open()
        self._close(self.rotated)


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


KIND_PREFIX = {
    "registration": "DJ",
    "license": "XK",
    "penalty": "CF",
    "abnormal_listing": "YC",
    "serious_violation": "YZ",
    "court_judgment": "PJ",
    "dishonest_debtor": "SX",
    "arrears": "QK",
    "property_right": "CC",
    "complaint": "TS",
    "inspection": "JC",
    "annual_report": "NB",
    "honor": "RY",
}


# --------------------------------------------------------------------------- observer


class CityObserver:
    """Hooks for tests and tools: what each subject is meant to be, and which records are bad on purpose."""

    def subject(self, info: dict) -> None:  # noqa: B027 - optional hook
        """Called once per subject with its codes, type and target colour."""

    def bad_record(self, department: str, kind: str, record_id: str, updated_at: str, reason: str) -> None:  # noqa: B027
        """Called for each deliberately bad record (identified by record id and version)."""


# --------------------------------------------------------------------------- the generator


class _Subject:
    """One subject while its records are generated: codes, names, and the plan for its colour."""

    __slots__ = (
        "i",
        "colour",
        "type",
        "uscc",
        "org",
        "regno",
        "name",
        "district",
        "dname",
        "est",
        "industry",
        "scope",
        "rep",
        "rep_id",
        "phone",
        "market",
        "category",
        "status",
        "trigger",
        "address",
        "reg_dept",
        "showcase",
        "fail_budget",
        "report_stop",
        "revoked_licence_dept",
        "revoked_licence",
        "abnormal_keep",
        "cap",
        "etype",
        "tday",
        "tdept",
        "quiet",
        "from_abnormal",
    )


def _add_years(o: int, years: int) -> int:
    d = date.fromordinal(o)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).toordinal()


def _cdf(weights: Iterable[float]) -> list[float]:
    total = 0.0
    out = []
    ws = list(weights)
    s = sum(ws)
    for w in ws:
        total += w / s
        out.append(total)
    out[-1] = 1.0
    return out


def _b31(n: int, width: int) -> str:
    chars = []
    for _ in range(width):
        n, d = divmod(n, 31)
        chars.append(USCC_ALPHABET[d])
    return "".join(reversed(chars))


def _regno_check(body: str) -> str:
    """ISO 7064 MOD 11,10 check digit of a 15-digit registration number (GS 15-2006)."""
    p = 10
    for ch in body:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


@cache
def _filing_window(year: int) -> tuple[int, int]:
    """Annual reports for the year before are filed from 1 January to 30 June (ordinals)."""
    return date(year, 1, 1).toordinal(), date(year, 6, 30).toordinal()


@cache
def _birth_places(year: int) -> tuple[str, ...]:
    """Area codes that existed in a birth year (stdnum.cn.ric checks this; 红谷滩区 dates from 2019)."""
    ok = []
    for place in BIRTH_PLACES:
        body = f"{place}{year:04d}0101001"
        if stdnum_ric.is_valid(body + _ric_check(body)):
            ok.append(place)
    return tuple(ok) or ("360100",)


_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _ric_check(body: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _RIC_WEIGHTS, strict=True)) % 11]


_DIGITS_UPPER = "零壹贰叁肆伍陆柒捌玖"
_UNITS_UPPER = ("", "拾", "佰", "仟")
_BIG_UPPER = ("", "万", "亿")


def rmb_upper(yuan: int) -> str:
    """An amount in yuan written in capital numerals, as penalty decisions write it (伍万元)."""
    if yuan <= 0:
        return "零元"
    s = str(yuan)
    out: list[str] = []
    zero = False
    n = len(s)
    for i, ch in enumerate(s):
        pos = n - 1 - i
        d = int(ch)
        if d == 0:
            zero = True
        else:
            if zero and out:
                out.append("零")
            zero = False
            out.append(_DIGITS_UPPER[d] + _UNITS_UPPER[pos % 4])
        if pos % 4 == 0 and pos > 0 and int(s[max(0, i - 3) : i + 1]) != 0:
            out.append(_BIG_UPPER[pos // 4])
            zero = False
    return "".join(out) + "元"


def _amount_text(v: float) -> str:
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return text or "0"


class _Setup:
    """What every block shares: reference data, tables and the feeds' styles, all fixed by the seed."""

    def __init__(self, subjects: int, seed: int, as_of: date):
        self.n = subjects
        self.seed = seed
        self.as_of = as_of
        self.T = as_of.toordinal()
        self.offset = colour_offset(seed)
        self.departments = load_departments()
        self.dept = {d.code: d for d in self.departments}
        self.districts = load_districts()
        self.catalog = load_catalog()
        rng = random.Random(f"citygen-setup-{seed}")
        self.district_codes = [c for c, _ in self.districts]
        self.district_names = dict(self.districts)
        self.district_cdf = _cdf(DISTRICT_DETAIL.get(c, (3,))[0] for c in self.district_codes)
        default = (3, "urban", "建设路 人民路", "城区")
        self.roads = {c: DISTRICT_DETAIL.get(c, default)[2].split() for c in self.district_codes}
        self.towns = {c: DISTRICT_DETAIL.get(c, default)[3].split() for c in self.district_codes}
        self.is_county = {c: DISTRICT_DETAIL.get(c, default)[1] == "county" for c in self.district_codes}
        self.ind_ent_cdf = _cdf(i.w_ent for i in INDUSTRIES)
        self.ind_ind_cdf = _cdf(i.w_ind for i in INDUSTRIES)
        self.type_names = tuple(name for name, _ in SUBJECT_TYPES)
        self.type_cdf = _cdf(w for _, w in SUBJECT_TYPES)
        self.pen_cdf = _cdf(w for _, w in GENERAL_PENALTY_DEPTS)
        # The first subjects show every industry and subject type, so a small city has every feed.
        self.showcase = [("enterprise", k) for k in range(len(INDUSTRIES))] + [
            ("farmer_cooperative", None),
            ("social_organization", None),
            ("public_institution", None),
            ("government_agency", None),
            ("individual_business", None),
            ("social_organization", None),
        ]
        # Affine permutations give every subject index its own code body, without remembering any.
        self.perm = {
            "num": (7777777, rng.randrange(90_000_000), 90_000_000),
            "b31": (7777781, rng.randrange(31**5), 31**5),
            "reg": (7777777, rng.randrange(10_000_000), 10_000_000),
        }
        self.keyword_index = [(kw, idx) for idx, e in enumerate(self.catalog) for kw in e.keywords]
        self.specs = self._stream_specs(rng)

    def _style(self, rng: random.Random, kind: str, forced: tuple | None) -> Style:
        r = rng.random
        has_codes = kind in ("license", "penalty")
        if forced:
            fmt, enc, header, gz = forced
        else:
            x = r()
            fmt = "csv" if x < 0.55 else ("jsonl" if x < 0.8 else "xml")
            if fmt == "csv":
                enc = rng.choice(("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-8-sig", "gb18030", "gb18030"))
                choices = ("code", "code", "label", "key") if has_codes else ("label", "label", "key")
                header = rng.choice(choices)
            elif fmt == "xml":
                enc = "gb18030" if r() < 0.3 else "utf-8"
                header = "code" if has_codes and r() < 0.5 else "key"
            else:
                enc = "utf-8"
                header = "code" if has_codes and r() < 0.5 else "key"
            gz = r() < 0.2
        return Style(
            format=fmt,
            encoding=enc,
            header=header,
            gzip=gz,
            date=rng.choice((0, 0, 0, 1, 2, 3, 4)),
            stamp=rng.choice((0, 0, 1, 2, 3)),
            enum=rng.choice((0, 1, 1, 2)),
            amount=rng.choice((0, 0, 1, 2)),
            null=rng.choice(("", "", "", "", "-", "无", "null")),
            sep=rng.choice((";", "；", "、")),
            crlf=r() < 0.5,
            shuffle=r() < 0.3,
            extra=rng.choice(EXTRA_COLUMNS) if fmt == "csv" and r() < 0.25 else None,
            forever=rng.choice(("长期", "长期", "永久")),
            json_numbers=fmt == "jsonl" and r() < 0.5,
            empty_elements=r() < 0.4,
            id_style=rng.choice((0, 0, 1, 2)),
            op=rng.choice(("", "upsert", "upsert", "新增", "更新")),
        )

    def _stream_specs(self, rng: random.Random) -> dict[tuple[str, str], StreamSpec]:
        pairs = [(d, k) for d in self.departments for k in d.kinds]
        order = list(range(len(pairs)))
        rng.shuffle(order)
        coverage = [  # every format, encoding, header style and gzip appear at least once
            ("csv", "utf-8-sig", "label", False, False),
            ("csv", "gb18030", "label", False, False),
            ("csv", "utf-8", "key", False, False),
            ("csv", "gb18030", "code", False, True),
            ("csv", "utf-8", "code", True, True),
            ("jsonl", "utf-8", "key", True, False),
            ("jsonl", "utf-8", "code", False, True),
            ("xml", "utf-8", "key", False, False),
            ("xml", "gb18030", "key", True, False),
            ("xml", "utf-8", "code", False, True),
            ("csv", "utf-8-sig", "key", True, False),
            ("xml", "gb18030", "code", False, True),
        ]
        forced: dict[int, tuple] = {}
        for fmt, enc, header, gz, needs_code in coverage:
            for idx in order:
                if idx not in forced and (not needs_code or pairs[idx][1] in ("license", "penalty")):
                    forced[idx] = (fmt, enc, header, gz)
                    break
        minute = {d.code: rng.randrange(0, 50) for d in self.departments}
        specs = {}
        for idx, (d, k) in enumerate(pairs):
            style = self._style(rng, k, forced.get(idx))
            keep = [f for f in contract.KINDS[k].fields if f.key not in DROPPABLE[k] or rng.random() > 0.3]
            if style.shuffle:
                head, tail = keep[:3], keep[3:]
                rng.shuffle(tail)
                keep = head + tail
            extra = None
            if style.extra:
                value = {"数据批次号": f"{self.as_of:%Y%m%d}{d.code}", "报送单位": d.name}.get(style.extra)
                extra = (style.extra, value or f"{rng.choice(SURNAMES)}{rng.choice(GIVEN_FEMALE)}")
            specs[d.code, k] = StreamSpec(
                dept=d,
                kind=k,
                style=style,
                columns=tuple(f.key for f in keep),
                names=tuple(spelling(f, style.header, labels_allowed=style.format == "csv") for f in keep),
                stamp=f"{self.as_of:%Y%m%d}00{minute[d.code]:02d}{d.kinds.index(k):02d}",
                corrections_stamp=f"{self.as_of:%Y%m%d}06{minute[d.code]:02d}{d.kinds.index(k):02d}",
                extra=extra,
            )
        return specs


class _Block:
    """Generates the subjects of one block: their records rendered per stream, and the tallies.

    A block has its own random stream (seed and block number), so a city is the same whatever
    the number of worker processes; its sequence numbers start at the block's own base.
    """

    def __init__(self, setup: _Setup, index: int, collect: bool):
        self.__dict__.update(vars(setup))  # the shared tables, as attributes
        self.index = index
        self.collect = collect
        self.rng = random.Random(f"citygen-{setup.seed}-{index}")
        self.r = self.rng.random
        self.date_formats = _DATE_CACHES
        self.time_formats = _TIME_CACHES
        self.streams: dict[str, dict[str, _Renderer]] = {d.code: {} for d in self.departments}
        for (code, kind), spec in setup.specs.items():
            self.streams[code][kind] = _Renderer(self, spec, index * ID_STRIDE)
        self.seq_base = index * SEQ_STRIDE
        self.bad: dict[str, int] = {reason: 0 for reason, _ in _BAD_REASONS}
        self.versions = {"updated": 0, "stale_resent": 0, "deleted": 0, "fixed_after_quarantine": 0}
        self.types: dict[str, int] = {}
        self.statuses: dict[str, int] = {}
        self.colours = dict.fromkeys(COLOURS, 0)
        self.triggers: dict[str, int] = {}
        self.identified_by = {"uscc": 0, "organization_code": 0, "registration_number": 0}
        self.seqs: dict[tuple, int] = {}
        self.subjects_info: list[dict] = []
        self.bad_records: list[tuple[str, str, str, str, str]] = []
        self._scope_cache: dict[str, tuple[int, ...]] = {}

    def run(self, lo: int, hi: int) -> dict:
        """Generate subjects lo..hi-1; return their lines per stream and the block's tallies."""
        for i in range(lo, hi):
            self.subject(i)
        return {
            "index": self.index,
            "lines": {(code, kind): st.lines for code, d in self.streams.items() for kind, st in d.items()},
            "counts": {code: {k: st.count for k, st in d.items()} for code, d in self.streams.items()},
            "bad": self.bad,
            "versions": self.versions,
            "types": self.types,
            "statuses": self.statuses,
            "colours": self.colours,
            "triggers": self.triggers,
            "identified_by": self.identified_by,
            "subjects": self.subjects_info,
            "bad_records": self.bad_records,
        }

    # -- formatting
    def converters(self, kind: contract.Kind, style: Style, columns: frozenset) -> list[tuple[str, Callable]]:
        """Typed value -> text as this stream writes it, for each typed field it carries.

        Most converters are bound methods of caches (C calls): formatting is most of the work.
        """
        out: list[tuple[str, Callable]] = []
        r = self.r
        dates = self.date_formats
        if style.date == 4:

            def date_fn(o: int) -> str:
                x = r()
                return dates[0 if x < 0.55 else (1 if x < 0.7 else (2 if x < 0.85 else 3))][o]
        else:
            date_fn = dates[style.date].__getitem__

        forever = style.forever

        def open_fn(o: int) -> str:
            return forever if o == FOREVER else date_fn(o)

        day_part = dates[1 if style.stamp == 2 else 0]
        times = self.time_formats[style.stamp]
        sep = "T" if style.stamp == 1 else " "

        def stamp_fn(v: int) -> str:
            o, sec = divmod(v, 86400)
            return day_part[o] + sep + times[sec]

        amount_style = style.amount

        def amount_fn(v: float) -> str:
            if amount_style == 1:
                return f"{v:,.4f}".rstrip("0").rstrip(".") if v >= 1000 else _amount_text(v)
            x = r()
            if x < 0.5:
                return f"{v:,.4f}".rstrip("0").rstrip(".")
            if x < 0.6:
                return _fullwidth(_amount_text(v))
            if x < 0.7:
                return _amount_text(v) + "万元"
            return _amount_text(v)

        def enum_fn_for(enum: str) -> Callable:
            spellings = ENUM_SPELLINGS[enum]
            if style.enum in (0, 1):
                return {code: v[style.enum] for code, v in spellings.items()}.__getitem__

            def enum_fn(code: str) -> str:
                as_code, label, others = spellings[code]
                x = r()
                if x < 0.4:
                    return as_code
                if x < 0.9:
                    return label
                return others[int(r() * len(others))]

            return enum_fn

        def multi_fn_for(enum: str) -> Callable:
            labels = {code: v[1] for code, v in ENUM_SPELLINGS[enum].items()}

            def multi_fn(codes: list[str]) -> str:
                return sep_multi.join([labels[c] for c in codes])

            return multi_fn

        sep_multi = style.sep
        numbers = style.json_numbers
        for f in kind.fields:
            if f.key not in columns or f.key == "op":
                continue
            t = f.type
            fn: Callable | None = None
            if t == contract.DATE:
                fn = date_fn
            elif t == contract.OPEN_DATE:
                fn = open_fn
            elif t == contract.DATETIME:
                fn = stamp_fn
            elif t == contract.AMOUNT and not numbers:
                fn = _amount_text if amount_style == 0 else amount_fn
            elif t == contract.INT and not numbers:
                fn = str
            elif t == contract.BOOL:
                fn = {True: "是", False: "否"}.__getitem__
            elif t == contract.ENUM:
                fn = enum_fn_for(f.enum)
            elif t == contract.MULTI_ENUM:
                fn = multi_fn_for(f.enum)
            if fn is not None:
                out.append((f.key, fn))
        return out

    # -- helpers
    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def pick_cdf(self, cdf: list[float]) -> int:
        return bisect.bisect_left(cdf, self.r())

    def day(self, s: _Subject, lo: int, hi: int, floor: int = 1) -> int | None:
        """A day between `hi` and `lo` days before as_of, not before the subject existed."""
        start = max(self.T - hi, s.est + floor)
        end = self.T - lo
        if start > end:
            return None
        return start + int(self.r() * (end - start + 1))

    def stamp_after(self, o: int, max_days: int = 6) -> int:
        """An updated_at (as int seconds) a few days after day `o`, never on or after as_of."""
        d = min(o + int(self.r() * max_days), self.T - 1)
        return d * 86400 + 28800 + int(self.r() * 36000)

    def morning_stamp(self) -> int:
        """A version written on the morning of as_of (corrections sent after the main files)."""
        return self.T * 86400 + 3600 + int(self.r() * 16000)

    def person(self) -> str:
        r = self.r
        surname = "欧阳" if r() < 0.01 else SURNAMES[int(r() * len(SURNAMES))]
        pool = GIVEN_MALE if r() < 0.55 else GIVEN_FEMALE
        given = pool[int(r() * len(pool))]
        if r() < 0.7:
            given += pool[int(r() * len(pool))]
        return surname + given

    def id_number(self) -> str:
        r = self.r
        born = date(1955, 1, 1).toordinal() + int(r() * 16800)
        d = date.fromordinal(born)
        places = _birth_places(d.year)
        body = f"{places[int(r() * len(places))]}{d.year:04d}{d.month:02d}{d.day:02d}{int(r() * 1000):03d}"
        return body + _ric_check(body)

    def mobile(self) -> str:
        return f"{MOBILE_PREFIXES[int(self.r() * len(MOBILE_PREFIXES))]}{int(self.r() * 100_000_000):08d}"

    def phone(self) -> str:
        return self.mobile() if self.r() < 0.75 else f"0791-8{int(self.r() * 10_000_000):07d}"

    def trade_name(self) -> str:
        r = self.r
        n = len(TRADE_CHARS)
        name = TRADE_CHARS[int(r() * n)] + TRADE_CHARS[int(r() * n)]
        if r() < 0.25:
            name += TRADE_CHARS[int(r() * n)]
        return name

    def address(self, district: str) -> str:
        r = self.r
        dname = self.district_names[district]
        if self.is_county[district] and r() < 0.4:
            town = self.pick(self.towns[district])
            if r() < 0.5:
                return f"{PROVINCE}省{CITY}市{dname}{town}{self.pick(TRADE_CHARS)}家村{int(r() * 12) + 1}组"
            return f"{PROVINCE}省{CITY}市{dname}{town}{self.pick(self.roads[district])}{int(r() * 300) + 1}号"
        road = self.pick(self.roads[district])
        tail = f"{int(r() * 999) + 1}号"
        x = r()
        if x < 0.35:
            tail += f"{int(r() * 20) + 1}栋{int(r() * 25) + 1}{int(r() * 4) + 1:02d}室"
        elif x < 0.5:
            tail += f"{int(r() * 3) + 1}楼"
        return f"{PROVINCE}省{CITY}市{dname}{road}{tail}"

    def doc_number(self, dept: str, year: int, kind: str = "处罚", district: str | None = None) -> str:
        """A decision number: 洪市监处罚〔2026〕101号, or with a district branch's prefix (红市监简罚…)."""
        key = (dept, year)
        n = self.seqs[key] = self.seqs.get(key, self.seq_base) + 1
        short = DEPT_SHORT.get(dept, "洪")
        if dept == "SCJG" and district in SCJG_BRANCH_SHORT and self.r() < 0.6:
            short = SCJG_BRANCH_SHORT[district]
        if dept == "GAJ":
            return f"{short}（治）行罚决字〔{year}〕{n:05d}号"
        if dept == "XF":
            return f"{short}行罚决字〔{year}〕{n:04d}号"
        return f"{short}{kind}〔{year}〕{n}号"

    def next_licence_no(self, name: str) -> int:
        n = self.seqs[name] = self.seqs.get(name, self.seq_base) + 1
        return n

    def scope_matches(self, scope: str) -> tuple[int, ...]:
        found = self._scope_cache.get(scope)
        if found is None:
            found = tuple(sorted({idx for kw, idx in self.keyword_index if kw in scope}))
            if len(self._scope_cache) > 50_000:
                self._scope_cache.clear()
            self._scope_cache[scope] = found
        return found

    def authority(self, dept: str, district: str) -> str:
        name = self.dept[dept].name
        if dept == "SCJG":
            dname = self.district_names[district]
            if dname.endswith("区") and district not in ("360112",):
                return f"{CITY}市市场监督管理局{dname[:-1]}分局"
            return f"{dname}市场监督管理局" if not dname.endswith("区") else f"{CITY}市{dname}市场监督管理局"
        return name

    # -- emitting
    def emit(self, s: _Subject, dept: str, kind: str, rec: dict, benign: bool = True) -> None:
        """Render a record; a benign one is occasionally made bad the way departments get records wrong."""
        st = self.streams[dept][kind]
        if benign and self.r() < BAD_RECORD_SHARE:
            good = dict(rec) if kind == "registration" else None
            reason = self._corrupt(st, rec)
            st.emit(rec)
            self.bad[reason] += 1
            if self.collect:
                written = st.text("updated_at", rec["updated_at"])
                self.bad_records.append((dept, kind, rec["record_id"], str(written), reason))
            if good is not None:  # the registry fixes a registration and sends it again
                good["updated_at"] = self.morning_stamp()
                st.emit(good, corrections=True)
                self.versions["fixed_after_quarantine"] += 1
            return
        st.emit(rec)

    def emit_correction(self, dept: str, kind: str, rec: dict) -> None:
        self.streams[dept][kind].emit(rec, corrections=True)

    def _corrupt(self, st: _Renderer, rec: dict) -> str:
        """Make a record bad in one realistic way; returns the QuarantineReason code it must fail with.

        The way is drawn by weight among those the record allows (an annual report has no enum
        to misspell, a complaint no amount), so each reason keeps about its share.
        """
        kind = contract.KINDS[st.kind]
        cols = st.column_set
        r = self.r
        present = [f for f in kind.fields if f.key in cols and rec.get(f.key) is not None and f.key != "op"]
        options = {
            QuarantineReason.MISSING_REQUIRED: [
                f.key
                for f in kind.fields
                if f.required and f.key not in ("record_id", "updated_at") and f.key in cols
            ],
            QuarantineReason.INVALID_USCC: [
                "uscc"
                for f in present
                if f.key == "uscc" and len(rec["uscc"]) == 18 and rec["uscc"].isascii()
            ],
            QuarantineReason.UNPARSABLE_DATE: [f.key for f in present if f.type == contract.DATE],
            QuarantineReason.UNKNOWN_ENUM: [
                f.key for f in present if f.type in (contract.ENUM, contract.MULTI_ENUM, contract.BOOL)
            ],
            QuarantineReason.UNPARSABLE_AMOUNT: [f.key for f in present if f.type == contract.AMOUNT],
            QuarantineReason.END_BEFORE_START: [
                b for a, b in kind.ordered_dates if b in cols and isinstance(rec.get(a), int)
            ],
            QuarantineReason.SUBJECT_TYPE_MISMATCH: [
                "subject_type"
                for f in present
                if f.key == "subject_type" and rec.get("uscc") and not isinstance(rec["uscc"], Raw)
            ],
        }
        weighted = [(reason, w) for reason, w in _BAD_REASONS if options[reason]]
        x = r() * sum(w for _, w in weighted)
        reason = weighted[-1][0]
        for candidate, w in weighted:
            x -= w
            if x < 0:
                reason = candidate
                break
        keys = options[reason]
        key = keys[int(r() * len(keys))]
        if reason == QuarantineReason.INVALID_USCC:
            u = rec["uscc"]
            good = u[-1].upper()
            rec["uscc"] = Raw(u[:-1] + USCC_ALPHABET[(USCC_ALPHABET.index(good) + 1 + int(r() * 29)) % 31])
        elif reason == QuarantineReason.UNPARSABLE_DATE:
            d = date.fromordinal(rec[key])
            rec[key] = Raw(self.pick(BAD_DATES).format(y=d.year, m=d.month, d=d.day))
        elif reason == QuarantineReason.UNKNOWN_ENUM:
            enum = kind.by_key[key].enum
            rec[key] = Raw(self.pick(WRONG_ENUMS[enum] if enum else ("部分公示", "不详")))
        elif reason == QuarantineReason.UNPARSABLE_AMOUNT:
            value = rec[key]
            rec[key] = Raw(
                self.pick(BAD_AMOUNTS).format(a=max(1, int(value)) if isinstance(value, int | float) else 5)
            )
        elif reason == QuarantineReason.END_BEFORE_START:
            start = next(a for a, b in kind.ordered_dates if b == key and isinstance(rec.get(a), int))
            rec[key] = rec[start] - 1 - int(r() * 400)
        elif reason == QuarantineReason.SUBJECT_TYPE_MISMATCH:
            rec[key] = MISTAKEN_TYPES[rec[key]]
        else:
            rec[key] = Raw(self.pick(("", "", "-", "无")))
        return reason

    def base(self, s: _Subject, st: _Renderer, year: int, updated: int) -> dict:
        return {"record_id": st.next_id(year), "op": st.style.op, "updated_at": updated}

    def identify(self, s: _Subject, rec: dict, uscc_required: bool) -> None:
        """Name the subject: mostly by USCC (sometimes written loosely), else by a legacy code."""
        r = self.r
        x = r()
        if not uscc_required:
            if x < 0.025:
                rec["organization_code"] = s.org[:8] + "-" + s.org[8] if r() < 0.5 else s.org
                self.identified_by["organization_code"] += 1
                return
            if x < 0.05 and s.regno:
                rec["registration_number"] = s.regno
                self.identified_by["registration_number"] += 1
                return
        self.identified_by["uscc"] += 1
        u = s.uscc
        if x > 0.985:
            y = r()
            if y < 0.3:
                u = u.lower()
            elif y < 0.55:
                u = u[:16] + "-" + u[16:]
            elif y < 0.8:
                u = _fullwidth(u)
            else:
                u = f"{u[:2]} {u[2:8]} {u[8:]}"
        rec["uscc"] = u
        if x < 0.08 and uscc_required:
            rec["organization_code"] = s.org

    # -- subjects
    def _new_subject(self, i: int) -> _Subject:
        r = self.r
        s = _Subject()
        s.i = i
        s.colour = colour_for(i, self.offset)
        s.showcase = i < len(self.showcase)
        s.fail_budget = 1
        s.report_stop = None
        s.revoked_licence_dept = None
        s.revoked_licence = None
        s.abnormal_keep = None
        s.trigger = None
        s.tday = None
        s.tdept = None
        s.from_abnormal = None
        s.quiet = False
        s.etype = None
        industry_idx = None
        if s.showcase:
            s.type, industry_idx = self.showcase[i]
        else:
            s.type = self.type_names[self.pick_cdf(self.type_cdf)]
        t = s.type
        s.market = t in ("enterprise", "individual_business", "farmer_cooperative")
        s.district = self.district_codes[self.pick_cdf(self.district_cdf)]
        s.dname = self.district_names[s.district]
        T = self.T
        # establishment
        x = r()
        if t in ("public_institution", "government_agency"):
            ago = 2500 + int(r() * 20000) if x < 0.9 else 300 + int(r() * 2200)
        elif x < 0.38:
            ago = 1 + int(r() * 1095)
        elif x < 0.70:
            ago = 1095 + int(r() * 1825)
        elif x < 0.92:
            ago = 2920 + int(r() * 2555)
        else:
            ago = 5475 + int(r() * 5475)
        if s.colour != "green" and ago < 120:
            ago = 120 + int(r() * 700)
        if s.showcase:
            ago = 1500 + ago % 3000
        s.est = T - ago
        pre2015 = s.est < date(2015, 10, 1).toordinal()
        # codes
        a, b, m = self.perm["num"]
        numeric = f"{10_000_000 + (a * i + b) % m:08d}"
        a, b, m = self.perm["b31"]
        tail31 = _b31((a * i + b) % m, 5)
        if t == "enterprise":
            auth, tchar, body = "9", "1", numeric if pre2015 else "MA3" + tail31
        elif t == "individual_business":
            auth, tchar, body = "9", "2", "MA3" + tail31
        elif t == "farmer_cooperative":
            auth, tchar, body = "9", "3", numeric if pre2015 else "MA3" + tail31
        elif t == "social_organization":
            auth, tchar, body = "5", self.pick("1112223"), numeric if pre2015 else "MJ8" + tail31
        elif t == "public_institution":
            auth, tchar, body = "1", "2", numeric if s.est < date(2016, 1, 1).toordinal() else "MB1" + tail31
        else:
            auth, tchar, body = "1", "1", numeric if s.est < date(2016, 1, 1).toordinal() else "MB1" + tail31
        s.org = body + organization_code_check(body)
        # The USCC keeps the area where it was issued: 红谷滩区 (2019) subjects older than it, subjects
        # registered at city level and many social organisations and institutions carry 360100.
        city_level = 0.5 if t in ("public_institution", "government_agency", "social_organization") else 0.08
        older = s.district == "360113" and s.est < date(2019, 7, 1).toordinal()
        area = "360100" if older or r() < city_level else s.district
        head = auth + tchar + area + s.org
        s.uscc = head + stdnum_uscc.calc_check_digit(head)
        s.regno = None
        if s.market and pre2015:
            a, b, m = self.perm["reg"]
            reg_area = area if area not in ("360112", "360113") else "360100"
            body15 = f"{reg_area}{'6' if t == 'individual_business' else '0'}{(a * i + b) % m:07d}"
            s.regno = body15 + _regno_check(body15)
        s.rep = self.person()
        s.rep_id = self.id_number()
        s.phone = self.phone()
        s.address = self.address(s.district)
        s.category = "individual_business" if t == "individual_business" else "legal_person"
        s.status = "existing"
        s.industry = None
        s.cap = None
        self._name_and_scope(s, industry_idx)
        s.reg_dept = "SCJG" if s.market else ("MZJ" if t == "social_organization" else "BB")
        return s

    def _name_and_scope(self, s: _Subject, industry_idx: int | None) -> None:
        r = self.r
        t = s.type
        est_year = date.fromordinal(s.est).year
        if t in ("enterprise", "individual_business"):
            cdf = self.ind_ent_cdf if t == "enterprise" else self.ind_ind_cdf
            ind = INDUSTRIES[industry_idx] if industry_idx is not None else INDUSTRIES[self.pick_cdf(cdf)]
            s.industry = ind
            licensed = ()
            if ind.licensed:
                if s.showcase:
                    licensed = ind.licensed
                else:
                    k = 1 + (r() < 0.4)
                    licensed = tuple(
                        ind.licensed[j] for j in sorted({int(r() * len(ind.licensed)) for _ in range(k)})
                    )
            general = sorted({int(r() * len(ind.general)) for _ in range(1 + int(r() * 3))})
            general_items = tuple(ind.general[j] for j in general)
            s.scope = self._scope(licensed, general_items, est_year)
            trade = self.trade_name()
            if t == "individual_business":
                shop = self.pick(ind.shops) if ind.shops else "经营部"
                if not s.showcase and r() < OWN_NAME_SHARE:
                    s.name = s.rep  # no trade name: registered under the operator's own name
                elif self.is_county[s.district]:
                    s.name = f"{s.dname}{self.pick(self.towns[s.district])}{trade}{shop}"
                else:
                    s.name = f"{CITY}市{s.dname}{trade}{shop}"
                s.cap = self.pick((1, 2, 3, 5, 5, 10, 10, 20, 30, 50))
                s.etype = "个体工商户"
            else:
                word = self.pick(ind.words)
                x = r()
                place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
                prefix = CITY if x < 0.5 else (PROVINCE if x < 0.72 else (f"{CITY}市" if x < 0.82 else place))
                y = r()
                if y < 0.75:
                    s.name, etype = (
                        f"{prefix}{trade}{word}有限公司",
                        self.pick(
                            (
                                "有限责任公司(自然人投资或控股)",
                                "有限责任公司(自然人投资或控股)",
                                "有限责任公司(自然人独资)",
                                "有限责任公司(非自然人投资或控股的法人独资)",
                            )
                        ),
                    )
                elif y < 0.8:
                    s.name, etype = f"{prefix}{trade}{word}有限责任公司", "其他有限责任公司"
                elif y < 0.84:
                    s.name, etype = (
                        f"{prefix}{trade}{word}股份有限公司",
                        "股份有限公司(非上市、自然人投资或控股)",
                    )
                elif y < 0.92:
                    s.name, etype = (
                        f"{CITY}市{s.dname}{trade}{word}{self.pick(('经营部', '中心', '工作室', '厂'))}",
                        "个人独资企业",
                    )
                elif y < 0.96:
                    s.name, etype = f"{CITY}{trade}{word}中心（有限合伙）", "有限合伙企业"
                else:
                    s.name, etype = (
                        f"{CITY}{trade}{word}有限公司{s.dname.rstrip('区县')}分公司",
                        "有限责任公司分公司(自然人投资或控股)",
                    )
                s.etype = etype
                if etype != "有限责任公司分公司(自然人投资或控股)":
                    s.cap = self.pick(
                        (
                            3,
                            5,
                            10,
                            10,
                            20,
                            30,
                            50,
                            50,
                            100,
                            100,
                            200,
                            300,
                            500,
                            500,
                            1000,
                            1000,
                            2000,
                            3000,
                            5000,
                            10000,
                        )
                    )
            return
        if t == "farmer_cooperative":
            code, product, extra = self.pick(COOP_PRODUCTS)
            s.industry = Industry(code, (product,), (), (), (), 0, 0, (), (), ("NYJ", "SCJG"), ("quality",))
            town = self.pick(self.towns[s.district])
            place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
            s.name = f"{place}{town}{self.trade_name()}{product}专业合作社"
            items = [
                f"组织收购、销售成员{product}产品",
                "引进新技术、新品种，开展技术培训、技术交流和咨询服务",
            ]
            if extra and (s.showcase or r() < 0.35):
                items.append(extra)
            s.scope = "；".join(items)
            s.cap = self.pick((10, 20, 30, 50, 100, 200, 500))
            s.etype = "农民专业合作社"
            return
        if t == "social_organization":
            kind = s.uscc[1]
            trade = self.trade_name()
            if kind == "1":
                topic = self.pick(
                    (
                        "餐饮行业",
                        "软件行业",
                        "物流行业",
                        "建筑业",
                        "汽车流通",
                        "美容美发行业",
                        "食品工业",
                        "家具行业",
                        "电子商务",
                        "个体劳动者",
                        "会计",
                        "律师",
                        "心理卫生",
                        "摄影家",
                    )
                )
                form = self.pick(("协会", "协会", "协会", "商会", "学会"))
                s.name = f"{CITY}市{topic}{form}" if r() < 0.5 else f"{CITY}市{s.dname}{topic}{form}"
                s.scope = "行业自律；业务培训；交流合作；咨询服务；编辑会刊"
                s.industry = ORG_INDUSTRIES["S9622"]
                s.etype = "社会团体"
            elif kind == "2":
                x = r()
                if x < 0.35:
                    s.name = f"{CITY}{trade}职业培训学校"
                    s.scope = "职业技能培训；文化教育培训"
                    s.industry = ORG_INDUSTRIES["P8391"]
                elif x < 0.6:
                    s.name = f"{CITY}市{s.dname}{trade}幼儿园"
                    s.scope = "学前教育（民办教育）"
                    s.industry = ORG_INDUSTRIES["P8310"]
                elif x < 0.85:
                    s.name = f"{CITY}市{s.dname}{trade}养老服务中心"
                    s.scope = "养老服务；老年人日间照料；餐饮服务"
                    s.industry = ORG_INDUSTRIES["Q8514"]
                else:
                    s.name = f"{CITY}{trade}中医门诊部"
                    s.scope = "医疗服务；健康咨询"
                    s.industry = ORG_INDUSTRIES["Q8425"]
                s.etype = "民办非企业单位"
            else:
                s.name = f"{CITY}市{trade}{self.pick(('教育', '慈善', '助学', '扶贫'))}基金会"
                s.scope = "资助教育事业；扶贫济困；开展公益慈善活动"
                s.industry = ORG_INDUSTRIES["S9630"]
                s.etype = "基金会"
            s.cap = self.pick((3, 5, 10, 20, 50, 200, 400))
            return
        if t == "public_institution":
            x = r()
            n = 1 + int(r() * 30)
            town = self.pick(self.towns[s.district])
            place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
            if x < 0.2:
                s.name = f"{CITY}市第{_cn_number(n)}医院" if r() < 0.5 else f"{place}人民医院"
                s.scope = "医疗服务；医学教学；医学研究；放射诊疗"
                s.industry = ORG_INDUSTRIES["Q8411"]
            elif x < 0.45:
                s.name = f"{CITY}市第{_cn_number(n)}中学" if r() < 0.5 else f"{place}{town}中心小学"
                s.scope = "实施普通教育，促进基础教育发展"
                s.industry = ORG_INDUSTRIES["P8334"]
            elif x < 0.6:
                kind = "卫生院" if town.endswith(("镇", "乡")) else "社区卫生服务中心"
                s.name = f"{place}{town}{kind}"
                s.scope = "医疗服务；预防保健；健康教育"
                s.industry = ORG_INDUSTRIES["Q8423"]
            elif x < 0.75:
                s.name = f"{place}{self.pick(('疾病预防控制中心', '图书馆', '文化馆', '档案馆', '不动产登记中心'))}"
                s.scope = "为社会提供公共服务"
                s.industry = ORG_INDUSTRIES["Q8431"]
            else:
                s.name = f"{CITY}市{self.pick(('城市公共停车管理', '房屋征收', '公共资源交易', '住房保障', '农业技术推广', '水文'))}中心"
                s.scope = "承担相关公共服务和辅助管理工作"
                s.industry = ORG_INDUSTRIES["M7330"]
            s.cap = self.pick((10, 20, 50, 100, 300, 1000, 3000))
            s.etype = "事业单位"
            return
        # government agency
        place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
        if r() < 0.45:  # a town government or a street office
            town = self.pick(self.towns[s.district])
            s.name = f"{place}{town}{'办事处' if town.endswith('街道') else '人民政府'}"
        else:
            s.name = place + self.pick(
                (
                    "农业农村局",
                    "商务局",
                    "教育体育局",
                    "城市管理局",
                    "民政局",
                    "司法局",
                    "自然资源局",
                    "水利局",
                    "卫生健康委员会",
                    "统计局",
                    "科学技术局",
                )
            )
        s.scope = "依法履行行政管理职能"
        s.industry = ORG_INDUSTRIES["S9324"]
        s.etype = "机关"

    def _scope(self, licensed: tuple[str, ...], general: tuple[str, ...], est_year: int) -> str:
        if est_year >= 2021 and self.r() < 0.8:
            text = ""
            if licensed:
                text += (
                    "许可项目："
                    + "；".join(licensed)
                    + "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
                )
            if general:
                text += (
                    "一般项目："
                    + "；".join(general)
                    + "（除许可业务外，可自主依法经营法律法规非禁止或限制的项目）"
                )
            return text
        items = "；".join(licensed + general)
        if licensed and self.r() < 0.7:
            items += "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
        return items

    # -- the plan: which records make the target colour
    def _plan(self, s: _Subject) -> None:
        """Choose what makes the subject its target colour (a trigger), and its status, before any record."""
        r = self.r
        T = self.T
        c = s.colour
        s.quiet = False
        if c == "green":
            x = r()
            if s.showcase or not s.market:
                pass
            elif x < 0.012:  # cancelled or moved away: only its registration, reports and licences remain
                s.status, s.quiet = "cancelled", True
            elif x < 0.015:
                s.status, s.quiet = "moved_out", True
            elif x < 0.2:
                s.status = "operating"
        if s.quiet:
            s.tday = self.day(s, 30, 1000) or T - 1
        if c != "green":
            if c == "red":
                options = [("dishonest_debtor", 30), ("court_refusal", 12)]
                if s.market or s.type == "social_organization":
                    options.append(("restrictive_penalty", 18))
                if s.market:
                    options += [("serious_violation", 25)]
                    if s.est <= T - 240:
                        options.append(("revoked_registration", 15))
            elif c == "orange":
                options = [("heavy_penalty", 30)]
                if s.type != "government_agency":
                    options.append(("bad_inspection", 12))
                if s.est <= T - 240:
                    options.append(("long_arrears", 20))
                if s.market:
                    options.append(("abnormal_listing", 45))
            else:
                options = [("penalty", 45), ("arrears", 30), ("inspection", 15), ("complaints", 10)]
            total = sum(w for _, w in options)
            x = r() * total
            for name, w in options:
                x -= w
                if x < 0:
                    s.trigger = name
                    break
            else:
                s.trigger = options[-1][0]
            self.triggers[f"{c}:{s.trigger}"] = self.triggers.get(f"{c}:{s.trigger}", 0) + 1
        t = s.trigger
        if t == "revoked_registration":
            s.tday = self.day(s, 30, 1500, floor=200)
            s.status = "revoked"
            s.report_stop = date.fromordinal(s.tday).year - 1
        elif t == "restrictive_penalty":
            s.tday = self.day(s, 15, 1000, floor=30)
            s.tdept = self._penalty_dept(s, restrictive=True)
            s.revoked_licence_dept = s.tdept
        elif t == "abnormal_listing":
            s.tday = None
            years = self._missing_report_years(s, 30, 1000)
            if years:
                y, listed = years[int(r() * len(years))]
                s.tday, s.report_stop, s.from_abnormal = listed, y, "no_annual_report"
            else:
                s.tday, s.from_abnormal = self.day(s, 30, 1000, floor=30), "unreachable"
        elif t == "serious_violation":
            s.from_abnormal = None
            years = self._missing_report_years(s, 15 + 1096 + 60, 1400 + 1096)
            if years and r() < 0.7:
                y, listed = years[int(r() * len(years))]
                s.from_abnormal = listed
                s.report_stop = y
                s.tday = min(listed + 1096 + int(r() * 60), T - 15)
            else:
                s.tday = self.day(s, 15, 1400, floor=60)
        if (
            s.market
            and not s.quiet
            and t not in ("abnormal_listing", "serious_violation", "revoked_registration")
            and r() < 0.04
        ):
            years = self._missing_report_years(s, 60, 1400)
            if years:
                y, listed = years[int(r() * len(years))]
                removed = min(listed + 20 + int(r() * 380), T - 1)
                s.abnormal_keep = (y, listed, removed, max(listed, removed - 1 - int(r() * 10)))

    def _missing_report_years(self, s: _Subject, lo: int, hi: int) -> list[tuple[int, int]]:
        """Report years whose abnormal listing (early July of the next year) falls in the window."""
        out = []
        est_year = date.fromordinal(s.est).year
        for y in range(est_year, self.as_of.year):
            listed = date(y + 1, 7, 1).toordinal() + 3 + (s.i * 7 + y) % 40
            if self.T - hi <= listed <= self.T - lo and listed > s.est + 60:
                out.append((y, listed))
        return out

    # -- a subject's records
    def subject(self, i: int) -> None:
        """All records of subject `i`: registration, benign records of every kind, then its trigger."""
        s = self._new_subject(i)
        self._plan(s)
        self.types[s.type] = self.types.get(s.type, 0) + 1
        self.statuses[s.status] = self.statuses.get(s.status, 0) + 1
        self.colours[s.colour] += 1
        self._registration(s)
        self._licences(s)
        self._annual_reports(s)
        if not s.quiet:
            self._inspections(s)
            self._complaints(s)
            self._benign_penalties(s)
            self._arrears(s)
            self._property(s)
            self._court(s)
            self._benign_listings(s)
            self._honors(s)
            if s.trigger:
                getattr(self, "_t_" + s.trigger)(s)
            self._versions(s)
        if self.collect:
            self.subjects_info.append(
                {
                    "index": i,
                    "uscc": s.uscc,
                    "name": s.name,
                    "subject_type": s.type,
                    "colour": s.colour,
                    "trigger": s.trigger,
                    "status": s.status,
                    "organization_code": s.org,
                    "registration_number": s.regno,
                    "department": s.reg_dept,
                    "established_on": date.fromordinal(s.est),
                    "business_scope": s.scope,
                }
            )

    def _registration(self, s: _Subject) -> None:
        r = self.r
        st = self.streams[s.reg_dept]["registration"]
        if s.status == "revoked" or s.quiet:
            approved = s.tday
        else:
            approved = s.est if r() < 0.5 else (self.day(s, 1, self.T - s.est, floor=0) or s.est)
        approved = min(approved, self.T - 1)
        updated = self.stamp_after(approved, 3)
        rec = self.base(s, st, date.fromordinal(approved).year, updated)
        rec["uscc"] = s.uscc
        rec["name"] = s.name
        rec["subject_type"] = s.type
        rec["enterprise_type"] = s.etype
        rec["legal_representative"] = s.rep
        rec["legal_rep_id_type"] = self.pick(ID_TYPES)
        rec["legal_rep_id_number"] = s.rep_id
        if s.cap is not None:
            rec["registered_capital"] = float(s.cap)
        rec["established_on"] = s.est
        if s.market:
            rec["operating_from"] = s.est
            rec["operating_to"] = FOREVER if r() < 0.7 else _add_years(s.est, 20 if r() < 0.5 else 30)
        rec["registration_authority"] = (
            self.authority("SCJG", s.district) if s.market else self.dept[s.reg_dept].name
        )
        rec["approved_on"] = approved
        rec["status"] = s.status
        rec["address"] = s.address
        rec["district_code"] = s.district
        rec["industry_code"] = s.industry.code
        rec["business_scope"] = s.scope
        if s.regno:
            rec["registration_number"] = s.regno
        rec["organization_code"] = s.org if r() < 0.8 else s.org[:8] + "-" + s.org[8]
        rec["phone"] = s.phone
        if not s.showcase and s.trigger is None and r() < 0.002:
            # renamed: the old name went out earlier, the new one is sent as a correction
            old = dict(rec)
            old["name"] = s.name.replace(
                s.name[len(s.name) // 3 : len(s.name) // 3 + 2], self.trade_name(), 1
            )
            st.emit(old)
            rec["updated_at"] = self.morning_stamp()
            self.emit_correction(s.reg_dept, "registration", rec)
            self.versions["updated"] += 1
            return
        self.emit(s, s.reg_dept, "registration", rec, benign=s.status != "revoked")

    def _licences(self, s: _Subject) -> None:
        """Licences the business scope calls for (post-licence catalogue), mostly granted; and others."""
        r = self.r
        for idx in self.scope_matches(s.scope):
            e = self.catalog[idx]
            if s.showcase or r() < 0.85:
                self._licence(
                    s,
                    e.department,
                    e.licence,
                    CATALOG_YEARS.get(e.licence, 5),
                    LICENCE_CATEGORY.get(e.licence, "ordinary"),
                )
        for dept, p in s.industry.extra:
            if s.showcase or r() < p:
                name, years, label = EXTRA_LICENCES[dept]
                self._licence(s, dept, name, years, LICENCE_CATEGORY.get(name, "approval"))

    def _licence(self, s: _Subject, dept: str, name: str, years: int, category: str) -> None:
        """The current licence and up to two expired ones before it (renewed every `years`)."""
        r = self.r
        T = self.T
        first = s.est + 3 + int(r() * 60)
        if first > T - 1:
            return
        revoked = s.revoked_licence_dept == dept and s.revoked_licence is None and s.tday is not None
        if revoked:
            first = min(first, s.tday - 1)
            if first < s.est:
                revoked = False
                first = s.est
        st = self.streams[dept]["license"]
        periods = []
        if years:
            period = years * 365
            end = s.tday if revoked else T
            k = max(0, (end - 1 - first) // period)
            start = first + k * period
            for back in range(min(k, 2), 0, -1):  # the expired licences before the current one
                if r() < 0.7:
                    periods.append(
                        (
                            start - back * period,
                            start - (back - 1) * period - 1,
                            "invalid" if r() < 0.6 else "cancelled",
                        )
                    )
            status = "valid"
            if s.status == "cancelled":
                status = "cancelled"
            periods.append((start, start + period - 1, status))
        else:
            periods.append(
                (first, FOREVER if r() < 0.5 else None, "valid" if s.status != "cancelled" else "cancelled")
            )
        for n, (start, end, status) in enumerate(periods):
            last = n == len(periods) - 1
            if last and revoked:
                status = "revoked"
            year = date.fromordinal(start).year
            seq = self.next_licence_no(name)
            number = licence_number(name, s.uscc, dept, year, seq)
            if last and revoked:
                s.revoked_licence = (name, number)
            rec = self.base(s, st, year, self.stamp_after(start))
            self.identify(s, rec, False)
            rec["subject_name"] = s.name
            rec["subject_category"] = s.category
            rec["legal_representative"] = s.rep
            rec["legal_rep_id_type"] = "居民身份证"
            rec["legal_rep_id_number"] = s.rep_id
            rec["decision_document_name"] = "准予行政许可决定书"
            rec["document_number"] = number if r() < 0.4 else self.doc_number(dept, year, "许")
            rec["license_category"] = category
            rec["certificate_name"] = name
            rec["license_number"] = number
            rec["content"] = LICENCE_CONTENT.get(name, name)
            rec["decided_on"] = start
            rec["valid_from"] = start
            if end is not None:
                rec["valid_to"] = end
            rec["authority"] = self.authority(dept, s.district)
            rec["authority_uscc"] = self.dept[dept].uscc
            rec["status"] = status
            rec["data_source"] = self.dept[dept].name
            rec["data_source_uscc"] = self.dept[dept].uscc
            self.emit(s, dept, "license", rec)

    def _annual_reports(self, s: _Subject) -> None:
        """One report a year, filed by 30 June of the next year; none from the year a listing says is missing."""
        if not s.market:
            return
        r = self.r
        T = self.T
        est_year = date.fromordinal(s.est).year
        last_year = self.as_of.year
        if s.quiet:
            last_year = min(last_year, date.fromordinal(s.tday).year)
        st = self.streams["SCJG"]["annual_report"]
        op = st.style.op
        individual = s.type == "individual_business"
        employees = 1 + int(r() * (6 if individual else 60))
        assets = float(s.cap or 5) * (0.5 + r() * 2)
        for y in range(max(est_year, FIRST_REPORT_YEAR, self.as_of.year - 12), last_year):
            if s.report_stop is not None and y >= s.report_stop:
                break
            opens, due = _filing_window(y + 1)
            if opens > T - 1:
                continue
            if s.abnormal_keep and s.abnormal_keep[0] == y:
                submitted = s.abnormal_keep[3]
            else:
                if due > T - 1 and r() > (T - opens) / (due - opens + 1):
                    continue
                submitted = opens + 60 + int((r() ** 0.5) * 120)
                submitted = min(submitted, due, T - 1)
            rec = {
                "record_id": st.next_id(y + 1),
                "op": op,
                "updated_at": self.stamp_after(submitted, 2),
                "uscc": s.uscc,
                "subject_name": s.name,
                "year": y,
                "submitted_on": submitted,
                "employees": max(1, employees + int((r() - 0.5) * 4)),
                "phone": s.phone,
            }
            if not individual and r() < 0.1:
                rec["website"] = f"www.{s.uscc[10:16].lower()}.com.cn"
            if not individual and r() < 0.3:
                rec["email"] = (
                    f"{s.uscc[8:14].lower()}@{self.pick(('163.com', 'qq.com', '126.com', 'sina.com'))}"
                )
            assets *= 0.9 + r() * 0.3
            rec["total_assets"] = round(assets, 2)
            rec["revenue"] = round(assets * (0.3 + r() * 1.5), 2)
            rec["assets_public"] = (not individual) and r() < 0.35
            self.emit(s, "SCJG", "annual_report", rec)

    def _inspections(self, s: _Subject) -> None:
        r = self.r
        T = self.T
        year_now = self.as_of.year
        depts = (["SCJG"] if s.market else []) + list(s.industry.inspect)
        for dept in depts:
            p = 0.25 if dept == "SCJG" else 0.3
            shown = not s.showcase  # a showcase subject is inspected by each of its departments
            for y in range(max(date.fromordinal(s.est).year, year_now - 5), year_now + 1):
                if r() >= p and (shown or y < year_now - 1):
                    continue
                shown = True
                lo = max(date(y, 1, 1).toordinal(), s.est + 20)
                hi = min(date(y, 12, 31).toordinal(), T - 1)
                if lo > hi:
                    continue
                day = lo + int(r() * (hi - lo + 1))
                x = r()
                if x < 0.88:
                    result = "no_problem"
                elif x < 0.94 or T - day < 400:
                    result = "no_activity" if dept == "SCJG" and r() < 0.5 else "no_problem"
                else:
                    result = "corrected"
                self._inspection(s, dept, day, result, benign=True)

    def _inspection(self, s: _Subject, dept: str, day: int, result: str, benign: bool) -> None:
        st = self.streams[dept]["inspection"]
        year = date.fromordinal(day).year
        rec = self.base(s, st, year, self.stamp_after(day, 10))
        self.identify(s, rec, True)
        rec["subject_name"] = s.name
        rec["inspected_on"] = day
        rec["authority"] = self.authority(dept, s.district)
        task, itype = INSPECTION_TASKS[dept]
        rec["inspection_type"] = itype
        rec["task_name"] = task.format(y=year, n=_cn_number(1 + int(self.r() * 4)))
        rec["result"] = result
        self.emit(s, dept, "inspection", rec, benign)

    def _complaints(self, s: _Subject) -> None:
        r = self.r
        if s.type in ("government_agency", "public_institution"):
            return
        mean = 1.4 if (s.industry.shops or s.type == "social_organization") else 0.5
        n = self.poisson(mean)
        for _ in range(n):
            day = self.day(s, 1, 1800, floor=10)
            if day is None:
                return
            failure = False
            if s.fail_budget > 0 and r() < 0.08 and day < self.T - 5:
                failure = True
                s.fail_budget -= 1
            self._complaint(s, day, failure, benign=True)

    def _complaint(
        self, s: _Subject, day: int, failure: bool, benign: bool, stamp: int | None = None
    ) -> dict:
        r = self.r
        T = self.T
        st = self.streams["SCJG"]["complaint"]
        closed = min(day + 3 + int(r() * 25), T - 1)
        rec = self.base(s, st, date.fromordinal(day).year, stamp or self.stamp_after(closed, 2))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        rec["received_on"] = day
        x = r()
        rec["channel"] = (
            "12315"
            if x < 0.6
            else ("12345" if x < 0.85 else ("online" if x < 0.95 else ("letter" if x < 0.98 else "visit")))
        )
        category = self.pick(s.industry.complaints)
        rec["category"] = category
        rec["summary"] = self.pick(COMPLAINT_TEXT[category])
        if failure:
            rec["handling_status"] = "closed"
            rec["mediation_result"] = "failure"
            rec["closed_on"] = max(closed, day)
        else:
            y = r()
            if y < 0.08 and T - day < 30:
                rec["handling_status"] = "accepted"
            elif y < 0.15:
                rec["handling_status"] = "rejected"
                rec["closed_on"] = max(closed, day)
            else:
                rec["handling_status"] = "closed"
                rec["mediation_result"] = "success" if r() < 0.75 else "none"
                rec["closed_on"] = max(closed, day)
        rec["complainant_name"] = self.person()
        rec["complainant_phone"] = self.mobile()
        self.emit(s, "SCJG", "complaint", rec, benign)
        return rec

    def poisson(self, mean: float) -> int:
        """A small Poisson count (Knuth), enough for per-subject record counts."""
        limit = math.exp(-mean)
        k = 0
        p = self.r()
        while p > limit:
            k += 1
            p *= self.r()
        return k

    # -- penalties
    def _penalty_dept(self, s: _Subject, restrictive: bool = False, heavy: bool = False) -> str:
        r = self.r
        if s.type == "social_organization" and r() < 0.7:
            return "MZJ"
        own = [d for d in s.industry.penal if "penalty" in self.dept[d].kinds]
        if restrictive:
            own = [d for d in own if d in RESTRICTIVE_BY_DEPT]
            if not own:
                return "MZJ" if s.type == "social_organization" else "SCJG"
            return own[int(r() * len(own))]
        if own and r() < 0.6:
            return own[int(r() * len(own))]
        dept = GENERAL_PENALTY_DEPTS[self.pick_cdf(self.pen_cdf)][0]
        if dept == "SCJG" and not s.market:
            dept = "SWJ"
        return dept

    def _benign_penalties(self, s: _Subject) -> None:
        r = self.r
        if s.showcase:  # every department that punishes this industry shows up in a small city
            for dept in s.industry.penal:
                day = self.day(s, 1, 2500, floor=20)
                if day is not None:
                    self._penalty(s, "warning", day, dept, benign=True)
        mean = 1.05 if s.market else 0.4
        for _ in range(self.poisson(mean)):
            x = r()
            if x < 0.4:
                day = self.day(s, 1, 2500, floor=20)
                mode = "warning"
            elif x < 0.87:
                day = self.day(s, 400, 2500, floor=20)
                mode = "light"
            else:
                day = self.day(s, 1200, 3000, floor=20)
                mode = "heavy"
            if day is not None:
                self._penalty(s, mode, day, self._penalty_dept(s), benign=True)

    def _penalty(
        self,
        s: _Subject,
        mode: str,
        day: int,
        dept: str,
        benign: bool,
        stamp: int | None = None,
        violation: tuple[str, str, str] | None = None,
    ) -> dict:
        r = self.r
        st = self.streams[dept]["penalty"]
        year = date.fromordinal(day).year
        rec = self.base(s, st, year, stamp or self.stamp_after(day, 7))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        rec["subject_category"] = s.category
        rec["legal_representative"] = s.rep
        rec["legal_rep_id_type"] = "身份证"
        rec["legal_rep_id_number"] = s.rep_id
        vtype, facts, basis = violation or self.pick(VIOLATIONS[dept])
        rec["violation_type"] = vtype
        rec["violation_facts"] = (
            facts if r() < 0.9 else f"经查，当事人{facts}。\n以上事实有现场检查笔录、询问笔录等证据证实。"
        )
        rec["legal_basis"] = basis
        fine = 0.0
        confiscated = 0.0
        simple = False
        cats: list[str]
        licence = None
        if mode == "warning":
            cats = ["warning"]
            simple = r() < 0.8
        elif mode == "light":
            x = r()
            if x < 0.35:
                simple = True
                fine = (
                    self.pick((0.005, 0.01, 0.02, 0.02, 0.05, 0.1, 0.2, 0.3))
                    if s.category == "legal_person"
                    else self.pick((0.005, 0.01, 0.02))
                )
                cats = ["fine"] if r() < 0.6 else ["warning", "fine"]
            elif x < 0.92:
                fine = self.pick((0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.5, 2, 3, 5, 8, 9.5))
                cats = ["fine"] if r() < 0.8 else ["warning", "fine"]
            else:
                cats = ["circulated_criticism"] if r() < 0.5 else ["circulated_criticism", "fine"]
                if "fine" in cats:
                    fine = self.pick((0.2, 0.5, 1, 2))
        elif mode == "heavy":
            options = HEAVY_BY_DEPT.get(dept, ())
            if options and r() < 0.5:
                extra = options[int(r() * len(options))]
                cats = [extra]
                if extra.startswith("confiscate"):
                    confiscated = round(0.05 + r() * 20, 4)
                if r() < 0.7:
                    cats.append("fine")
                    fine = self.pick((0.5, 1, 2, 3, 5, 8))
                if extra in ("suspend_license", "lower_qualification"):
                    licence = self.pick(("许可证", "资质证书"))
            else:
                cats = ["fine"]
                fine = self.pick((10, 10, 12, 15, 20, 25, 30, 50, 80, 100, 150))
        elif mode == "revoke_business":
            cats = ["revoke_license"]
            licence = "营业执照"
        else:  # restrictive
            options = RESTRICTIVE_BY_DEPT.get(dept, ("revoke_license",))
            extra = options[int(r() * len(options))]
            cats = [extra]
            if r() < 0.6:
                cats.append("fine")
                fine = self.pick((1, 2, 5, 10, 20, 50))
            if extra == "revoke_license":
                licence = (
                    s.revoked_licence[0]
                    if s.revoked_licence
                    else ("营业执照" if dept == "SCJG" else "许可证")
                )
        rec["penalty_categories"] = cats
        content = []
        for c in cats:
            if c == "fine":
                content.append(f"罚款人民币{rmb_upper(round(fine * 10000))}")
            elif c in ("confiscate_illegal_gains", "confiscate_illegal_property"):
                content.append(
                    f"{_label('penalty_category', c)}人民币{rmb_upper(round(confiscated * 10000))}"
                )
            elif c == "revoke_license":
                content.append(f"吊销{licence}")
            elif c == "order_suspension":
                content.append(f"责令停产停业{self.pick(('一', '三', '六'))}个月")
            elif c == "restrict_practice":
                content.append(f"{self.pick(('五', '十'))}年内不得从事相关经营活动")
            else:
                content.append(_label("penalty_category", c))
        rec["penalty_content"] = "，".join(content)
        if fine:
            rec["fine_amount"] = fine
        if confiscated:
            rec["confiscation_amount"] = confiscated
        if licence:
            number = s.revoked_licence[1] if s.revoked_licence and licence == s.revoked_licence[0] else ""
            rec["suspended_or_revoked_license"] = f"{licence}（{number}）" if number else licence
        rec["document_number"] = self.doc_number(dept, year, "简罚" if simple else "处罚", s.district)
        rec["decided_on"] = day
        if cats != ["warning"]:
            rec["publish_until"] = _add_years(day, 1 if simple else 3)
        if "restrict_practice" in cats:
            rec["penalty_valid_to"] = _add_years(day, 5)
        elif "order_suspension" in cats or "suspend_license" in cats:
            rec["penalty_valid_to"] = day + 90
        elif "revoke_license" in cats and r() < 0.5:
            rec["penalty_valid_to"] = FOREVER
        rec["authority"] = self.authority(dept, s.district)
        rec["authority_uscc"] = self.dept[dept].uscc
        rec["procedure"] = "simple" if simple else "ordinary"
        rec["data_source"] = self.dept[dept].name
        rec["data_source_uscc"] = self.dept[dept].uscc
        self.emit(s, dept, "penalty", rec, benign)
        return rec

    # -- arrears, property, court, listings, honors
    def _arrears(self, s: _Subject) -> None:
        r = self.r
        if s.type == "government_agency":
            mean = 0.1
        elif s.type == "individual_business":
            mean = 0.65
        else:
            mean = 1.1
        for _ in range(self.poisson(mean)):
            x = r()
            atype, dept, _ = ARREARS_MIX[bisect.bisect_left(ARREARS_CDF, x)]
            if atype == "loan" and s.type in ("government_agency", "public_institution"):
                atype, dept = "utilities", "SDQ"
            since = self.day(s, 30, 2500, floor=30)
            if since is None:
                return
            settled = min(since + 10 + int(r() * 300), self.T - 1)
            self._arrear(s, dept, atype, since, settled, benign=True)

    def _arrear(
        self, s: _Subject, dept: str, atype: str, since: int, settled: int | None, benign: bool
    ) -> None:
        self.emit(s, dept, "arrears", self._arrear_rec(s, dept, atype, since, settled), benign)

    def _arrear_rec(self, s: _Subject, dept: str, atype: str, since: int, settled: int | None) -> dict:
        r = self.r
        T = self.T
        st = self.streams[dept]["arrears"]
        lo, hi = ARREARS_AMOUNT[atype]
        amount = round(lo * (hi / lo) ** r(), 2)
        if settled is not None:
            as_of = settled
        else:
            month_end = date.fromordinal(T - 1).replace(day=1).toordinal() - 1
            as_of = month_end if month_end >= since else T - 1
        rec = self.base(s, st, date.fromordinal(since).year, self.stamp_after(as_of, 3))
        rec["uscc"] = s.uscc if r() > 0.01 else s.uscc.lower()
        rec["subject_name"] = s.name
        rec["arrears_type"] = atype
        rec["amount"] = amount
        rec["since"] = since
        rec["as_of"] = as_of
        rec["creditor"] = self._creditor(dept, atype, s)
        if settled is not None:
            rec["settled_on"] = settled
        return rec

    def _creditor(self, dept: str, atype: str, s: _Subject) -> str:
        if atype == "tax":
            dname = self.district_names[s.district]
            return (
                f"国家税务总局{CITY}市{dname}税务局" if dname.endswith("区") else f"国家税务总局{dname}税务局"
            )
        if atype == "loan":
            return self.pick(BANKS)
        if atype == "utilities":
            return self.pick(UTILITIES)
        if atype == "wages":
            return f"{3 + int(self.r() * 60)}名职工"
        if atype == "social_security":
            return f"{CITY}市社会保险事业管理局"
        if atype == "medical_insurance":
            return f"{CITY}市医疗保障局"
        return self.dept[dept].name

    def _property(self, s: _Subject) -> None:
        r = self.r
        if s.type != "enterprise" and not (s.type == "farmer_cooperative" and r() < 0.2):
            return
        for _ in range(self.poisson(0.45)):
            x = r()
            rtype = "equity_pledge" if x < 0.5 else ("chattel_mortgage" if x < 0.9 else "equity_freeze")
            self._right(s, rtype)

    def _right(self, s: _Subject, rtype: str, day: int | None = None) -> None:
        r = self.r
        dept = "ZY" if rtype == "equity_freeze" else "SCJG"
        day = day or self.day(s, 1, 2500, floor=30)
        if day is None:
            return
        st = self.streams[dept]["property_right"]
        year = date.fromordinal(day).year
        released = None
        x = r()
        status = "valid"
        if x < 0.35 and day < self.T - 30:
            status = "released"
            released = min(day + 30 + int(r() * 700), self.T - 1)
        elif x < 0.42:
            status = "invalid"
        rec = self.base(s, st, year, self.stamp_after(released or day, 5))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["right_type"] = rtype
        if rtype == "equity_freeze":
            court, prefix = self.pick(COURTS)
            rec["registration_no"] = self.case_number(prefix, year, "执")
            rec["counterparty"] = court
        elif rtype == "equity_pledge":
            rec["registration_no"] = f"{s.uscc[2:8]}{year}{self.next_licence_no('equity_pledge'):07d}"
            rec["counterparty"] = self.pick(BANKS) if r() < 0.6 else self.person()
        else:
            rec["registration_no"] = f"{s.uscc[2:8]}{year}{self.next_licence_no('mortgage'):06d}"
            rec["counterparty"] = self.pick(BANKS)
        rec["amount"] = round(10 * (100 ** r()), 2)
        rec["registered_on"] = day
        rec["status"] = status
        if released:
            rec["released_on"] = released
        self.emit(s, dept, "property_right", rec)

    def case_number(self, prefix: str, year: int, kind: str) -> str:
        key = (prefix + kind, year)
        n = self.seqs[key] = self.seqs.get(key, self.seq_base) + 1
        if prefix == "赣01" and kind == "民初":
            kind = self.pick(("民初", "民终"))
        return f"（{year}）{prefix}{kind}{n}号" if self.r() < 0.6 else f"({year}){prefix}{kind}{n}号"

    def _court(self, s: _Subject) -> None:
        mean = {"enterprise": 0.6, "individual_business": 0.15, "farmer_cooperative": 0.2}.get(s.type, 0.1)
        for _ in range(self.poisson(mean)):
            day = self.day(s, 1, 2500, floor=60)
            if day is None:
                return
            x = self.r()
            role = "plaintiff" if x < 0.45 else ("defendant" if x < 0.93 else "third_party")
            refuses = False if role == "defendant" and self.r() < 0.6 else None
            self._judgment(s, day, role, refuses=refuses, benign=True)

    def _judgment(self, s: _Subject, day: int, role: str, refuses: bool | None, benign: bool) -> dict:
        r = self.r
        st = self.streams["ZY"]["court_judgment"]
        year = date.fromordinal(day).year
        court, prefix = COURTS[0] if r() < 0.2 else self.pick(COURTS[1:])
        rec = self.base(s, st, year, self.stamp_after(day, 10))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        kind = "行初" if s.type == "government_agency" else ("执" if role == "respondent" else "民初")
        rec["case_number"] = self.case_number(prefix, year, kind)
        rec["court"] = court
        cause = "行政管理纠纷" if kind == "行初" else self.pick(CAUSES)
        rec["cause"] = cause
        rec["party_role"] = role
        rec["judged_on"] = day
        amount = round(1 + 300 * r() ** 3, 2)
        rec["amount"] = amount
        if role == "plaintiff":
            rec["result_summary"] = f"被告于判决生效之日起十日内支付原告{_amount_text(amount)}万元"
        elif role in ("defendant", "respondent"):
            rec["result_summary"] = (
                f"{s.name}于判决生效之日起十日内支付原告{_amount_text(amount)}万元"
                if r() < 0.7
                else "驳回原告的诉讼请求"
            )
        else:
            rec["result_summary"] = "驳回原告的诉讼请求"
        if refuses is not None:
            rec["refuses_to_perform"] = refuses
        self.emit(s, "ZY", "court_judgment", rec, benign)
        return rec

    def _dishonest(self, s: _Subject, day: int, removed: int | None, benign: bool) -> None:
        r = self.r
        st = self.streams["ZY"]["dishonest_debtor"]
        year = date.fromordinal(day).year
        court, prefix = self.pick(COURTS)
        basis_day = max(s.est + 1, day - 60 - int(r() * 400))
        basis_year = date.fromordinal(basis_day).year
        rec = self.base(s, st, year, self.stamp_after(removed or day, 3))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        rec["legal_representative"] = s.rep
        rec["case_number"] = self.case_number(prefix, year, "执")
        rec["court"] = court
        rec["basis_document"] = self.case_number(prefix, basis_year, "民初")
        rec["obligation"] = (
            f"支付{self.pick(('货款', '借款', '工程款', '租金', '劳动报酬'))}人民币{1 + int(r() * 300)}万元及利息"
        )
        rec["performance"] = "none" if r() < 0.7 else "partial"
        rec["dishonest_behavior"] = self.pick(
            (
                "有履行能力而拒不履行生效法律文书确定义务",
                "违反财产报告制度",
                "违反限制消费令",
                "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
            )
        )
        rec["published_on"] = day
        if removed is not None:
            rec["removed_on"] = removed
        self.emit(s, "ZY", "dishonest_debtor", rec, benign)

    def _abnormal(self, s: _Subject, listed: int, reason: str, removed: int | None, benign: bool) -> None:
        r = self.r
        st = self.streams["SCJG"]["abnormal_listing"]
        year = date.fromordinal(listed).year
        rec = self.base(s, st, year, self.stamp_after(removed or listed, 3))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["listed_on"] = listed
        rec["listing_reason"] = reason
        authority = self.authority("SCJG", s.district)
        rec["listing_authority"] = authority
        rec["listing_document_number"] = self.doc_number("SCJG", year, "异列")
        if removed is not None:
            rec["removed_on"] = removed
            rec["removal_reason"] = (
                "补报未报年份的年度报告并公示"
                if reason == "no_annual_report"
                else "依法办理住所变更登记，恢复正常记载状态"
            )
            if r() < 0.8:
                rec["removal_authority"] = authority
        self.emit(s, "SCJG", "abnormal_listing", rec, benign)

    def _serious(self, s: _Subject, listed: int, reason: str, removed: int | None, benign: bool) -> None:
        st = self.streams["SCJG"]["serious_violation"]
        year = date.fromordinal(listed).year
        rec = self.base(s, st, year, self.stamp_after(removed or listed, 3))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["listed_on"] = listed
        rec["listing_reason"] = reason
        rec["authority"] = self.authority("SCJG", s.district)
        rec["document_number"] = self.doc_number("SCJG", year, "严列")
        if removed is not None:
            rec["removed_on"] = removed
            rec["removal_reason"] = "信用修复申请经审核同意"
        self.emit(s, "SCJG", "serious_violation", rec, benign)

    def _benign_listings(self, s: _Subject) -> None:
        r = self.r
        if s.abnormal_keep:
            _, listed, removed, _ = s.abnormal_keep
            self._abnormal(s, listed, "no_annual_report", removed, benign=True)
        if s.market and r() < 0.004 and s.trigger != "abnormal_listing":
            listed = self.day(s, 200, 1500, floor=90)
            if listed:
                self._abnormal(
                    s, listed, "unreachable", min(listed + 30 + int(r() * 150), self.T - 1), benign=True
                )
        if r() < 0.006:
            day = self.day(s, 120, 2500, floor=200)
            if day:
                self._dishonest(s, day, min(day + 60 + int(r() * 500), self.T - 1), benign=True)
        if s.market and r() < 0.0015:
            day = self.day(s, 400, 2500, floor=200)
            if day:
                self._serious(
                    s, day, self.pick(SERIOUS_REASONS), min(day + 365 + int(r() * 400), self.T - 1), True
                )

    def _honors(self, s: _Subject) -> None:
        r = self.r
        if s.colour != "green" or s.type not in ("enterprise", "farmer_cooperative", "individual_business"):
            return
        p = {"enterprise": 0.12, "farmer_cooperative": 0.08}.get(s.type, 0.02)
        if r() >= p and not s.showcase:
            return
        code = s.industry.code
        if s.showcase:
            dept = (
                "ZJJ" if code[0] in "EK" else ("GXJ" if code[0] in "CI" else ("SCJG", "SWJ", "FGW")[s.i % 3])
            )
        elif code[0] in "EK":
            dept = "ZJJ" if r() < 0.6 else "SWJ"
        elif code[0] in "CI" and r() < 0.4:
            dept = "GXJ"
        else:
            x = r()
            dept = "SCJG" if x < 0.45 else ("SWJ" if x < 0.85 else "FGW")
        if s.type == "individual_business":
            dept = "SCJG"
        name, years = self.pick(HONORS[dept])
        if s.type == "individual_business":
            name = "南昌市放心消费示范单位"
        day = self.day(s, 10, 1500, floor=365)
        if day is None:
            return
        if dept == "SWJ":  # A-level taxpayers are announced in April for the year before
            y = date.fromordinal(day).year
            day = min(date(y, 4, 15 + int(r() * 10)).toordinal(), self.T - 1)
            if day <= s.est + 365:
                return
        st = self.streams[dept]["honor"]
        rec = self.base(s, st, date.fromordinal(day).year, self.stamp_after(day, 5))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["honor_name"] = name
        rec["awarded_on"] = day
        rec["authority"] = self.dept[dept].name
        if years:
            rec["valid_to"] = date(date.fromordinal(day).year + years, 12, 31).toordinal()
        elif r() < 0.5:
            rec["valid_to"] = FOREVER
        if r() < 0.03 and day < self.T - 60:
            rec["revoked_on"] = min(day + 30 + int(r() * 300), self.T - 1)
        self.emit(s, dept, "honor", rec)

    # -- triggers (non-benign: never made bad, so the colour is exactly the target)
    def _t_serious_violation(self, s: _Subject) -> None:
        if s.from_abnormal:
            self._abnormal(s, s.from_abnormal, "no_annual_report", None, benign=False)
            reason = SERIOUS_FROM_ABNORMAL
        else:
            reason = self.pick(SERIOUS_REASONS)
        self._serious(s, s.tday, reason, None, benign=False)

    def _t_dishonest_debtor(self, s: _Subject) -> None:
        day = self.day(s, 15, 1400, floor=90) or self.day(s, 1, 1400, floor=1)
        judged = max(s.est + 1, day - 60 - int(self.r() * 300))
        self._judgment(s, judged, "defendant", None, benign=True)
        self._dishonest(s, day, None, benign=False)
        if s.type == "enterprise" and self.r() < 0.3:
            self._right(s, "equity_freeze", min(day + 10, self.T - 1))

    def _t_court_refusal(self, s: _Subject) -> None:
        day = self.day(s, 60, 1000, floor=30) or self.day(s, 15, 1000, floor=1)
        self._judgment(s, day, "defendant" if self.r() < 0.7 else "respondent", True, benign=False)

    def _t_restrictive_penalty(self, s: _Subject) -> None:
        self._penalty(s, "restrict", s.tday, s.tdept, benign=False)

    def _t_revoked_registration(self, s: _Subject) -> None:
        violation = (
            "登记管理",
            "无正当理由超过六个月未开业或者开业后自行停业连续六个月以上",
            "《中华人民共和国市场主体登记管理条例》第四十六条",
        )
        s.revoked_licence = None
        self._penalty(s, "revoke_business", s.tday, "SCJG", benign=False, violation=violation)

    def _t_abnormal_listing(self, s: _Subject) -> None:
        self._abnormal(s, s.tday, s.from_abnormal, None, benign=False)

    def _t_heavy_penalty(self, s: _Subject) -> None:
        day = self.day(s, 15, 1000, floor=20)
        self._penalty(s, "heavy", day, self._penalty_dept(s), benign=False)

    def _t_bad_inspection(self, s: _Subject) -> None:
        day = self.day(s, 15, 330, floor=20)
        if s.market:
            dept, result = "SCJG", self.pick(("false_disclosure", "unreachable", "unreachable", "refused"))
        else:
            dept, result = "XF", "refused"
        self._inspection(s, dept, day, result, benign=False)

    def _t_long_arrears(self, s: _Subject) -> None:
        since = self.day(s, 220, 1000, floor=10)
        atype, dept = ("tax", "SWJ") if self.r() < 0.6 else ("wages", "RSJ")
        self._arrear(s, dept, atype, since, None, benign=False)

    def _t_penalty(self, s: _Subject) -> None:
        day = self.day(s, 15, 330, floor=10)
        self._penalty(s, "light", day, self._penalty_dept(s), benign=False)

    def _t_arrears(self, s: _Subject) -> None:
        atype, dept, _ = ARREARS_MIX[bisect.bisect_left(ARREARS_CDF, self.r())]
        if atype in ("tax", "wages"):
            since = self.day(s, 20, 150, floor=10)
        else:
            since = self.day(s, 15, 900, floor=10)
        self._arrear(s, dept, atype, since, None, benign=False)

    def _t_inspection(self, s: _Subject) -> None:
        day = self.day(s, 15, 330, floor=10)
        if s.market:
            self._inspection(s, "SCJG", day, "corrected" if self.r() < 0.6 else "undisclosed", benign=False)
        else:
            self._inspection(s, "XF", day, "corrected", benign=False)

    def _t_complaints(self, s: _Subject) -> None:
        for _ in range(3):
            day = self.day(s, 20, 300, floor=5)
            self._complaint(s, day, True, benign=False)

    # -- versions: updates, stale resends, withdrawals (few, counted, never made bad)
    def _versions(self, s: _Subject) -> None:
        r = self.r
        T = self.T
        x = r()
        if x < 0.004 and s.est < T - 90:  # sent outstanding, then settled: the newer version wins
            since = self.day(s, 40, 600, floor=10)
            rec = self._arrear_rec(s, "SDQ", "utilities", since, None)
            newer = dict(rec)
            settled = max(since, T - 1 - int(r() * 10))
            newer["settled_on"] = settled
            newer["as_of"] = settled
            newer["updated_at"] = self.morning_stamp()
            self.emit(s, "SDQ", "arrears", rec, benign=False)
            self.emit_correction("SDQ", "arrears", newer)
            self.versions["updated"] += 1
        elif x < 0.006 and s.est < T - 90:  # settled; an older outstanding version is resent later (stale)
            since = self.day(s, 60, 900, floor=10)
            settled = min(since + 30 + int(r() * 200), T - 1)
            rec = self._arrear_rec(s, "SDQ", "utilities", since, settled)
            older = dict(rec)
            del older["settled_on"]
            older["as_of"] = max(since, settled - 5 - int(r() * 20))
            older["updated_at"] = older["as_of"] * 86400 + 30000
            self.emit(s, "SDQ", "arrears", rec, benign=False)
            self.emit_correction("SDQ", "arrears", older)
            self.versions["stale_resent"] += 1
        elif x < 0.008 and s.est < T - 60:  # a penalty withdrawn later (decision revoked)
            day = self.day(s, 15, 300, floor=10)
            dept = self._penalty_dept(s)
            rec = self._penalty(s, "light", day, dept, benign=False)
            if r() < 0.5:
                withdrawal = dict(rec)  # the whole record again, marked withdrawn
            else:
                withdrawal = {
                    k: rec[k]
                    for k in ("record_id", "uscc", "organization_code", "registration_number", "subject_name")
                    if k in rec
                }
            withdrawal["record_id"] = rec["record_id"]
            withdrawal["op"] = self.pick(("delete", "delete", "删除", "撤回"))
            withdrawal["updated_at"] = self.morning_stamp()
            self.emit_correction(dept, "penalty", withdrawal)
            self.versions["deleted"] += 1


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------- the city


_WORKER: tuple[_Setup, bool] | None = None


def _init_worker(setup: _Setup, collect: bool) -> None:
    global _WORKER
    _WORKER = (setup, collect)


def _run_block(index: int, lo: int, hi: int) -> dict:
    setup, collect = _WORKER
    return _Block(setup, index, collect).run(lo, hi)


class CityGenerator:
    """Generates one city into `out`; `run()` writes the files and returns the summary.

    Subjects are generated in blocks of `BLOCK_SUBJECTS` (in worker processes when `workers` > 1)
    and their lines written in block order, so the files are the same for any number of workers
    and memory stays bounded by a few blocks.
    """

    def __init__(
        self,
        out: Path | str,
        subjects: int,
        seed: int,
        as_of: date | None = None,
        max_records_per_file: int = DEFAULT_MAX_RECORDS_PER_FILE,
        observer: CityObserver | None = None,
        workers: int = 1,
    ):
        if not 0 < subjects <= MAX_SUBJECTS:
            raise ValueError(f"subjects must be between 1 and {MAX_SUBJECTS}")
        if max_records_per_file < 1:
            raise ValueError("max_records_per_file must be positive")
        self.out = Path(out)
        self.setup = _Setup(subjects, seed, as_of or date.today())
        self.max_per_file = max_records_per_file
        self.observer = observer
        self.workers = max(1, workers)
        self.files: list[dict] = []
        self.writers = {
            key: {
                role: _FileWriter(self.out, spec, role, max_records_per_file, self._file_done)
                for role in ("main", "corrections")
            }
            for key, spec in self.setup.specs.items()
        }
        self.totals: dict = {
            "counts": {d.code: dict.fromkeys(d.kinds, 0) for d in self.setup.departments},
            "bad": {reason: 0 for reason, _ in _BAD_REASONS},
            "versions": {},
            "types": {},
            "statuses": {},
            "colours": dict.fromkeys(COLOURS, 0),
            "triggers": {},
            "identified_by": {},
        }

    def run(self) -> dict:
        """Generate every block, close the files, resend one file, and return the summary."""
        self.out.mkdir(parents=True, exist_ok=True)
        n = self.setup.n
        blocks = [(b, lo, min(lo + BLOCK_SUBJECTS, n)) for b, lo in enumerate(range(0, n, BLOCK_SUBJECTS))]
        for result in self._results(blocks):
            self._consume(result)
        for roles in self.writers.values():
            roles["main"].close(always=True)
            roles["corrections"].close()
        return self._summary(self._resend_one_file())

    def _results(self, blocks: list[tuple[int, int, int]]) -> Iterator[dict]:
        collect = self.observer is not None
        if self.workers == 1 or len(blocks) == 1:
            for index, lo, hi in blocks:
                yield _Block(self.setup, index, collect).run(lo, hi)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(self.workers, initializer=_init_worker, initargs=(self.setup, collect)) as pool:
            pending: deque = deque()
            todo = iter(blocks)
            for args in islice(todo, 2 * self.workers):  # a bounded window keeps memory flat
                pending.append(pool.apply_async(_run_block, args))
            while pending:
                result = pending.popleft().get()
                args = next(todo, None)
                if args is not None:
                    pending.append(pool.apply_async(_run_block, args))
                yield result

    def _consume(self, result: dict) -> None:
        for key, (main, corrections) in result["lines"].items():
            if main:
                self.writers[key]["main"].write_lines(main)
            if corrections:
                self.writers[key]["corrections"].write_lines(corrections)
        totals = self.totals
        for code, kinds in result["counts"].items():
            for kind, v in kinds.items():
                totals["counts"][code][kind] += v
        for name in ("bad", "versions", "types", "statuses", "colours", "triggers", "identified_by"):
            for k, v in result[name].items():
                totals[name][k] = totals[name].get(k, 0) + v
        if self.observer is not None:
            for info in result["subjects"]:
                self.observer.subject(info)
            for bad in result["bad_records"]:
                self.observer.bad_record(*bad)

    def _file_done(self, writer: _FileWriter, path: Path, records: int) -> None:
        st = writer.spec.style
        self.files.append(
            {
                "path": path.relative_to(self.out).as_posix(),
                "department": writer.spec.dept.code,
                "kind": writer.spec.kind,
                "role": writer.role,
                "records": records,
                "format": st.format,
                "encoding": st.encoding,
                "header": st.header if st.format == "csv" else ("code" if st.header == "code" else "key"),
                "gzip": st.gzip,
                "bytes": path.stat().st_size,
            }
        )

    def _resend_one_file(self) -> int:
        """Departments sometimes drop the same file again: copy one small file under a later name."""
        candidates = [f for f in self.files if f["role"] == "main" and f["records"] > 0]
        if not candidates:
            return 0
        chosen = min(candidates, key=lambda f: (f["records"], f["path"]))
        src = self.out / chosen["path"]
        spec = self.setup.specs[chosen["department"], chosen["kind"]]
        ext = src.name[src.name.index(".") :]
        target = src.with_name(
            f"{chosen['kind']}_{spec.corrections_stamp[:8]}07{spec.stamp[10:]}_resent{ext}"
        )
        shutil.copyfile(src, target)
        self.files.append({**chosen, "path": target.relative_to(self.out).as_posix(), "role": "resent"})
        return chosen["records"]

    def _summary(self, resent_records: int) -> dict:
        setup = self.setup
        n = setup.n
        totals = self.totals
        by_kind: dict[str, int] = {}
        for kinds in totals["counts"].values():
            for k, v in kinds.items():
                by_kind[k] = by_kind.get(k, 0) + v
        written = sum(by_kind.values())
        total = written + resent_records
        bad = sum(totals["bad"].values())
        files = self.files

        def tally(key: str) -> dict:
            out: dict = {}
            for f in files:
                out[str(f[key])] = out.get(str(f[key]), 0) + 1
            return dict(sorted(out.items()))

        roles: dict[str, int] = {}
        for f in files:
            roles[f["role"]] = roles.get(f["role"], 0) + f["records"]
        colours = totals["colours"]
        return {
            "subjects": n,
            "seed": setup.seed,
            "as_of": setup.as_of.isoformat(),
            "max_records_per_file": self.max_per_file,
            "records": total,
            "records_per_subject": round(total / n, 2),
            "records_by_role": roles,
            "files": len(files),
            "bytes": sum(f["bytes"] for f in files),
            "target_colours": colours,
            "target_colour_share": {c: round(v / n, 4) for c, v in colours.items()},
            "jiangxi_2020_mix": {"green": round(1 - _YELLOW_TO, 4), **COLOUR_MIX},
            "triggers": dict(sorted(totals["triggers"].items())),
            "subject_types": dict(sorted(totals["types"].items())),
            "statuses": dict(sorted(totals["statuses"].items())),
            "by_department": totals["counts"],
            "by_kind": dict(sorted(by_kind.items())),
            "files_by_format": tally("format"),
            "files_by_encoding": tally("encoding"),
            "files_by_header": tally("header"),
            "gzipped_files": sum(1 for f in files if f["gzip"]),
            "bad_records": bad,
            "bad_share": round(bad / max(1, written), 5),
            "bad_by_reason": totals["bad"],
            "versions": totals["versions"],
            "resent_files": 1 if resent_records else 0,
            "resent_records": resent_records,
            "identified_by": totals["identified_by"],
            "file_list": files,
        }


def generate_city(
    out: Path | str,
    subjects: int,
    seed: int,
    as_of: date | None = None,
    max_records_per_file: int = DEFAULT_MAX_RECORDS_PER_FILE,
    observer: CityObserver | None = None,
    workers: int = 1,
) -> dict:
    """Write a demo city into `out` (the inbox layout) and return its summary."""
    return CityGenerator(out, subjects, seed, as_of, max_records_per_file, observer, workers).run()
