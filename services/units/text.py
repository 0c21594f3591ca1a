"""Chinese text of units and the jurisdiction (GeoJSON) import."""

UNIT_IMPORT_COLUMNS = {
    "number": "要素序号", "code": "区划代码", "source_code": "文件中代码", "name": "单位名称",
    "parent": "上级单位", "action": "操作", "reason": "问题",
}
UNIT_IMPORT_TOP_LEVEL = "（顶级单位）"
UNIT_IMPORT_WHOLE_FILE = "（整个文件）"
UNIT_IMPORT_POPULATION_SOURCE = "辖区导入"
UNIT_IMPORT_NOT_UTF8 = "文件不是 UTF-8 编码的文本。"
UNIT_IMPORT_NOT_JSON = "文件不是有效的 JSON：{error}"
UNIT_IMPORT_NOT_COLLECTION = "文件应为 GeoJSON FeatureCollection（含 features 列表）。"
UNIT_IMPORT_NO_FEATURES = "文件中没有要素。"
UNIT_IMPORT_NOT_FEATURE = "不是 GeoJSON 要素（Feature）。"
UNIT_IMPORT_MISSING_PROPERTY = "缺少属性“{property}”。"
UNIT_IMPORT_BAD_CODE = "属性“{property}”的值“{value}”不是区划代码（应为不超过 12 位的数字）。"
UNIT_IMPORT_NAME_TOO_LONG = "名称“{name}”超过 {limit} 个字。"
UNIT_IMPORT_BAD_POPULATION = "人口“{value}”应为非负整数。"
UNIT_IMPORT_NOT_POLYGON = "几何类型为 {kind}，只接受 Polygon 或 MultiPolygon。"
UNIT_IMPORT_BAD_COORDINATES = "几何坐标无法解析：{error}"
UNIT_IMPORT_EMPTY_GEOMETRY = "几何为空。"
UNIT_IMPORT_OUTSIDE_CHINA = (
    "坐标超出中国范围（经度 73–136°、纬度 3–54°），实际范围 {bounds}：可能经纬度颠倒，或使用了投影坐标。"
)
UNIT_IMPORT_INVALID_GEOMETRY = "几何无效：{reason}"
UNIT_IMPORT_GEOMETRY_REASONS = {
    "Ring Self-intersection": "环自相交",
    "Self-intersection": "边界自相交",
    "Too few points": "点数过少",
    "Hole lies outside shell": "内环在外环之外",
    "Nested holes": "内环相互嵌套",
    "Nested shells": "外环相互嵌套",
    "Interior is disconnected": "内部不连通",
    "Duplicate Rings": "环重复",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
}
UNIT_IMPORT_DUPLICATE = "代码 {code} 在文件中重复（与第 {first} 个要素相同）。"
UNIT_IMPORT_AMBIGUOUS = "有多个单位使用区划代码 {code}：{units}。"
UNIT_IMPORT_CODE_TAKEN = "单位编码 {code} 已被“{unit}”使用，但该单位的区划代码不是 {code}。"
UNIT_IMPORT_PARENT_CYCLE = "上级关系成环：{codes}。"
UNIT_IMPORT_TOO_DEEP = "层级超过 4 级（上级为“{parent}”）。"
UNIT_IMPORT_HAS_PROBLEMS = "文件有 {count} 处问题，未导入。"
UNIT_IMPORT_AUDIT_DETAIL = "导入辖区{source}：新增 {created} 个，更新 {updated} 个，未变 {unchanged} 个"
UNIT_IMPORT_SUMMARY = "已导入辖区：新增 {created} 个单位，更新 {updated} 个，未变 {unchanged} 个。"
UNIT_IMPORT_DRY_RUN = "仅预览（--dry-run），未写入数据库。"
UNIT_IMPORT_PLAN_TITLE = "导入计划"
UNIT_IMPORT_PROBLEMS_TITLE = "问题清单"
UNIT_IMPORT_FILE_UNREADABLE = "无法读取文件 {path}：{error}"
CROSSWALK_HEADER = "代码对照表第 1 行应为表头“旧代码,新代码”或“old,new”。"
CROSSWALK_COLUMNS = "代码对照表第 {line} 行应为两列（旧代码,新代码）。"
CROSSWALK_BAD_CODE = "代码对照表第 {line} 行：“{value}”不是区划代码（应为不超过 12 位的数字）。"
CROSSWALK_CONFLICT = "代码对照表第 {line} 行：旧代码 {old} 已对应 {new}，不能再对应 {other}。"
CROSSWALK_NOT_TEXT = "代码对照表不是有效的 CSV 文本：{error}"
UNIT_IMPORT_TITLE = "辖区导入"
UNIT_IMPORT_INTRO = ("导入任意城市的辖区边界（GeoJSON）：按区划代码匹配已有单位（更新边界）或新建单位；"
                     "任何要素有问题时整个文件都不导入。旧区划代码可用对照表换成新代码。")
UNIT_IMPORT_FILE = "GeoJSON 文件"
UNIT_IMPORT_NAME_PROPERTY = "名称属性"
UNIT_IMPORT_CODE_PROPERTY = "代码属性"
UNIT_IMPORT_PARENT_PROPERTY = "上级代码属性（可选）"
UNIT_IMPORT_POPULATION_PROPERTY = "人口属性（可选）"
UNIT_IMPORT_PARENT = "挂接到上级单位"
UNIT_IMPORT_CROSSWALK = "新旧区划代码对照表（可选）"
UNIT_IMPORT_CROSSWALK_HELP = "CSV，两列：旧代码,新代码。例如 350625,350605（长泰县 → 长泰区）。"
UNIT_IMPORT_DATUM_REQUIRED = "请选择文件的坐标系：选错会使边界整体偏移约 500 米。"
UNIT_IMPORT_APPLY = "确认导入"
