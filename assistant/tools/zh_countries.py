"""Country names in Chinese → the Factbook's name (lower case) and the capital as said in Mandarin.

The Factbook is English only; these are the countries a Mandarin speaker at a kiosk or in a car
asks about most (neighbours, G20, big partners). Others fall to the LLM.
"""

from __future__ import annotations

ZH_COUNTRIES: dict[str, tuple[str, str]] = {
    "中国": ("china", "北京"), "美国": ("united states", "华盛顿"), "日本": ("japan", "东京"),
    "韩国": ("south korea", "首尔"), "朝鲜": ("north korea", "平壤"), "俄罗斯": ("russia", "莫斯科"),
    "英国": ("united kingdom", "伦敦"), "法国": ("france", "巴黎"), "德国": ("germany", "柏林"),
    "意大利": ("italy", "罗马"), "西班牙": ("spain", "马德里"), "葡萄牙": ("portugal", "里斯本"),
    "荷兰": ("netherlands", "阿姆斯特丹"), "比利时": ("belgium", "布鲁塞尔"), "瑞士": ("switzerland", "伯尔尼"),
    "瑞典": ("sweden", "斯德哥尔摩"), "挪威": ("norway", "奥斯陆"), "芬兰": ("finland", "赫尔辛基"),
    "丹麦": ("denmark", "哥本哈根"), "波兰": ("poland", "华沙"), "希腊": ("greece", "雅典"),
    "奥地利": ("austria", "维也纳"), "爱尔兰": ("ireland", "都柏林"), "乌克兰": ("ukraine", "基辅"),
    "土耳其": ("turkey", "安卡拉"), "印度": ("india", "新德里"), "巴基斯坦": ("pakistan", "伊斯兰堡"),
    "印度尼西亚": ("indonesia", "雅加达"), "印尼": ("indonesia", "雅加达"), "泰国": ("thailand", "曼谷"),
    "越南": ("vietnam", "河内"), "马来西亚": ("malaysia", "吉隆坡"), "新加坡": ("singapore", "新加坡"),
    "菲律宾": ("philippines", "马尼拉"), "蒙古": ("mongolia", "乌兰巴托"), "哈萨克斯坦": ("kazakhstan", "阿斯塔纳"),
    "伊朗": ("iran", "德黑兰"), "沙特阿拉伯": ("saudi arabia", "利雅得"), "沙特": ("saudi arabia", "利雅得"),
    "以色列": ("israel", "耶路撒冷"), "埃及": ("egypt", "开罗"), "南非": ("south africa", "比勒陀利亚"),
    "尼日利亚": ("nigeria", "阿布贾"), "肯尼亚": ("kenya", "内罗毕"), "埃塞俄比亚": ("ethiopia", "亚的斯亚贝巴"),
    "加拿大": ("canada", "渥太华"), "墨西哥": ("mexico", "墨西哥城"), "巴西": ("brazil", "巴西利亚"),
    "阿根廷": ("argentina", "布宜诺斯艾利斯"), "智利": ("chile", "圣地亚哥"), "秘鲁": ("peru", "利马"),
    "澳大利亚": ("australia", "堪培拉"), "澳洲": ("australia", "堪培拉"), "新西兰": ("new zealand", "惠灵顿"),
}
