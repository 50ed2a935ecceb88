"""Strings of the public race page (/r/race/<slug>), the residents' closure notice (page, CSV, printed PDF) and the
planner's publish controls, in Chinese and English."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # the public race page
    "rp.page_title": ("{race} · 赛事信息", "{race} · race information"),
    "rp.meta_desc": (
        "{date} {time} 发车，{laps}共 {km} 公里：赛道地图、海拔剖面、时间表、补给与爬坡点、关门时间和交通管制。",
        "Starts {date} at {time}, {laps} for {km} km: course map, elevation profile, timetable, feed zones, "
        "climbs, cut-offs and road closures.",
    ),
    "rp.draft_mark": ("草稿", "draft"),
    "rp.draft_preview": (
        "草稿预览：此赛事尚未发布，只有已登录的组织者能看到本页。",
        "Draft preview: this race is not published; only signed-in organisers can see this page.",
    ),
    "rp.fact.start": ("发车时间", "Start"),
    "rp.fact.distance": ("赛程", "Distance"),
    "rp.fact.laps": ("圈数", "Laps"),
    "rp.fact.lap": ("每圈", "Lap"),
    "rp.fact.ascent": ("累计爬升", "Climbing"),
    "rp.fact.neutral": ("中立骑行", "Neutralised start"),
    "rp.fact.neutral_value": ("{km} 公里，时速 {speed} 公里", "{km} km at {speed} km/h"),
    "rp.fact.cutoff": ("关门速度", "Time limit"),
    "rp.fact.cutoff_value": ("平均时速低于 {speed} 公里即关门", "slower than {speed} km/h on average is out"),
    "rp.fact.cutoff_none": ("不设关门时间", "no time limit"),
    "rp.lap_one": ("1 圈", "1 lap"),
    "rp.lap_many": ("{n} 圈", "{n} laps"),
    "rp.waves": ("发车波次", "Start waves"),
    "rp.col.wave": ("波次", "Wave"),
    "rp.col.wave_start": ("出发时间", "Start"),
    "rp.map": ("赛道地图", "Course map"),
    "rp.map_label": ("{race}的赛道地图", "Map of the {race} course"),
    "rp.profile": ("每圈海拔剖面", "Profile of one lap"),
    "rp.profile_title": ("{race}每圈海拔剖面", "Profile of one lap of {race}"),
    "rp.profile_summary": (
        "每圈 {lap_km} 公里，共 {laps}；图中标出补给区、爬坡点和冲刺点。",
        "One lap of {lap_km} km, ridden {laps}; feed zones, KOMs and sprints are marked.",
    ),
    "rp.points": ("补给、爬坡与冲刺", "Feed zones, KOMs and sprints"),
    "rp.points_none": ("本赛事未设补给区、爬坡点或冲刺点。", "This race has no feed zones, KOMs or sprints."),
    "rp.timetable": ("时间表", "Timetable"),
    "rp.timetable_note": (
        "按计划速度推算的通过时间（北京时间）；关门列为该点最晚通过时间。",
        "Passing times at the planned speeds (Beijing time); the cut-off column is the latest time to pass each point.",
    ),
    "rp.closures": ("交通管制", "Road closures"),
    "rp.closures_lead": (
        "比赛期间以下路段实行交通管制，详见管制通告：",
        "Roads on the course are closed to traffic during the race; see the closure notice:",
    ),
    "rp.closures_link": ("查看交通管制通告", "Open the road closure notice"),
    "rp.share": ("分享", "Share"),
    "rp.share_picture": ("分享图片", "Share picture"),
    "rp.qr_alt": ("本赛事页面二维码", "QR code of this race page"),
    "rp.share_link": ("本页链接", "Link to this page"),
    "rp.all_routes": ("全部路线", "All routes"),
    "rp.illustrative": (
        "示例数据：本赛事使用的路线为示意，并非真实赛事。",
        "Illustrative data: the routes of this race are examples, not a real event.",
    ),
    "rp.unavailable": ("此赛事页面暂时无法显示，请稍后再试。", "This race page cannot be shown right now; try again later."),
    # the closure notice
    "rp.notice.title": ("交通管制通告", "Road Closure Notice"),
    "rp.notice.page_title": ("{race} · 交通管制通告", "{race} · road closure notice"),
    "rp.notice.meta_desc": (
        "{race}交通管制：{start} 至 {end}（北京时间），共 {n} 个路段。",
        "{race} road closures: {start} to {end} (Beijing time), {n} stretches of road.",
    ),
    "rp.notice.intro": (
        "因举办{race}，{start} 至 {end}（北京时间），下列路段将分时段实施临时交通管制，"
        "管制期间禁止机动车、非机动车驶入。请过往车辆和行人提前绕行，服从现场交警和工作人员的指挥。",
        "Because of {race}, the roads below will be closed to traffic at the times shown between {start} and {end} "
        "(Beijing time). No motor vehicles or bicycles may enter a closed road. Please plan another way and follow "
        "the police and race staff on site.",
    ),
    "rp.notice.sections": ("管制路段及时间", "Closed roads and times"),
    "rp.notice.times_note": (
        "封路时间为领骑车到达前 {lead} 分钟，恢复通行时间为收容车通过后 {trail} 分钟，均按整分钟取整。"
        "多圈赛道同一路段合并为一次管制。",
        "Roads close {lead} min before the lead car and reopen {trail} min after the broom wagon, to the whole "
        "minute. On a circuit each road is closed once for all laps.",
    ),
    "rp.notice.map": ("管制路段示意图", "Map of the closed roads"),
    "rp.notice.map_note": (
        "红线为管制路段，数字对应上表序号；示意图按赛道轨迹绘制，不含底图。",
        "Closed roads in red, numbered as in the table; drawn from the course track, without a base map.",
    ),
    "rp.notice.detour": ("绕行提示", "Detours"),
    "rp.notice.detour_default": (
        "管制期间请选择周边道路绕行，沿线居民请合理安排出行时间；具体以现场指挥为准。",
        "Please use the surrounding roads while the course is closed, and plan trips around the closing times; "
        "follow the directions given on site.",
    ),
    "rp.notice.organiser": ("主办单位：{who}", "Organiser: {who}"),
    "rp.notice.contact": ("联系电话：{phone}", "Telephone: {phone}"),
    "rp.notice.issued": ("发布时间：{when}（北京时间）", "Issued: {when} (Beijing time)"),
    "rp.notice.downloads": ("下载与打印", "Download and print"),
    "rp.notice.pdf_a4": ("打印版通告（A4）", "Printable notice (A4)"),
    "rp.notice.pdf_a3": ("打印版通告（A3）", "Printable notice (A3)"),
    "rp.notice.csv": ("管制表格（CSV，交警用）", "Closure table (CSV, for the police)"),
    "rp.notice.back": ("返回赛事页面", "Back to the race page"),
    "rp.notice.none": ("本赛事无需封闭道路。", "This race closes no roads."),
    "rp.stretch_text": ("{a} → {b}（{km} 公里）", "{a} → {b} ({km} km)"),
    # the letter in a race marker's map pin (one character in Chinese, one or two letters in English)
    "rp.glyph.feed": ("补", "F"),
    "rp.glyph.aid": ("站", "A"),
    "rp.glyph.water": ("水", "W"),
    "rp.glyph.kom": ("坡", "K"),
    "rp.glyph.sprint": ("冲", "S"),
    "rp.glyph.checkpoint": ("检", "CP"),
    "rp.glyph.medical": ("医", "+"),
    "rp.road_unnamed": ("（未命名道路）", "(road not named)"),
    "rp.map.start": ("起点", "Start"),
    "rp.col.no": ("序号", "No."),
    "rp.col.road": ("道路", "Road"),
    "rp.col.stretch": ("路段", "Stretch"),
    "rp.col.closed_from": ("封路时间", "Closed from"),
    "rp.col.reopen_at": ("恢复通行", "Reopens at"),
    "rp.col.km": ("公里", "km"),
    "rp.col.lap": ("圈", "Lap"),
    "rp.col.point": ("地点", "Point"),
    # the race planner's publish controls
    "rp.planner.heading": ("公开发布", "Publish"),
    "rp.planner.published": (
        "已发布：骑手和居民可在公开页面查看本赛事和交通管制通告（{when}）。",
        "Published: riders and residents can see the race and its closure notice ({when}).",
    ),
    "rp.planner.unpublished": (
        "未发布：公开页面对访客显示“找不到”，只有已登录的组织者可以预览。",
        "Not published: visitors get “not found”; signed-in organisers can preview the page.",
    ),
    "rp.planner.publish": ("发布赛事页面", "Publish the race page"),
    "rp.planner.unpublish": ("撤回发布", "Unpublish"),
    "rp.planner.save_first": ("请先保存方案，再发布。", "Save the plan before publishing it."),
    "rp.planner.no_right": (
        "只有组织者或管理员可以发布赛事页面。", "Only organisers and admins can publish a race page."
    ),
    "rp.planner.open_page": ("打开赛事页面", "Open the race page"),
    "rp.planner.open_closures": ("打开管制通告", "Open the closure notice"),
    "rp.planner.roads": ("道路名称（管制通告用）", "Road names (for the closure notice)"),
    "rp.planner.roads_help": (
        "每行一条：“圈内起点公里 道路中文名 | 英文名（可不填）”，表示从该公里起赛道沿此道路，例如“0 环湖路”。",
        "One per line: “km-in-lap Chinese road name | English name”, the road the course follows from that km; "
        "the Chinese name comes first, the English one is optional.",
    ),
    # The example in the empty box: the English page cannot show the Chinese name, so it names the slot instead.
    "rp.planner.roads_placeholder": ("0 环湖路 | 英文名", "0 (Chinese name) | Lakeside Road"),
    "rp.planner.roads_bad": ("道路名称第 {line} 行无法识别：{text}", "Road names, line {line} is unreadable: {text}"),
    "rp.planner.organiser": ("主办单位", "Organiser"),
    "rp.planner.contact": ("联系电话", "Telephone"),
    "rp.planner.detour": ("绕行提示", "Detour advice"),
}
