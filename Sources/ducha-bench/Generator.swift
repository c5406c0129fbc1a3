import DuchaCore

/// Generates a large, realistic ledger: ~80 units, every source, realistic Chinese titles and
/// instructions, a history of signs, feedback, reminders, extensions and closures, about 30 %
/// of items overdue — all through the real workflow, relative to a fixed day.
struct Generator {
    static let townships = [
        "城关", "青石", "河口", "白沙", "龙泉", "松林", "梅溪", "桃源", "石门", "长乐", "清水", "黄土", "金竹", "马鞍", "双江", "新塘", "大坪", "杨柳", "枫林", "古城",
    ]
    static let departments = [
        "发改局", "财政局", "住建局", "交通运输局", "自然资源局", "生态环境局", "教育局", "卫健局", "农业农村局", "应急管理局", "水利局", "民政局",
        "人社局", "商务局", "文旅局", "市场监管局", "城管局", "公安局", "司法局", "审计局", "统计局", "林业局", "医保局", "退役军人事务局",
        "科技局", "工信局", "乡村振兴局", "信访局", "数据局", "政务服务中心", "供销社", "气象局", "税务局", "烟草局", "电力公司", "自来水公司",
        "城投公司", "消防救援大队", "人武部", "总工会", "团县委", "妇联", "残联", "科协", "红十字会", "档案馆", "融媒体中心", "机关事务中心",
        "住房公积金中心", "不动产登记中心", "疾控中心", "人民医院", "中医院", "妇幼保健院", "职业中专", "一中", "二中", "实验小学", "水务集团", "公交公司",
    ]
    static let subjects = [
        "背街小巷路灯整改", "停车难专项治理", "污水处理厂提标改造", "学校食堂食品安全排查", "国道路面破损修复", "老旧小区加装电梯", "乡村医生待遇",
        "高标准农田建设", "农贸市场改造提升", "城区内涝点整治", "医共体建设", "秸秆禁烧", "学校扩容工程", "企业用电报装提速", "集镇饮水安全提升",
        "债务风险化解", "矿山生态修复", "安全生产大排查", "校外培训机构规范", "消防通道整治", "农村公路安全防护", "特色农产品加工", "垃圾分类示范小区",
        "急诊楼建设", "建筑工地扬尘治理", "农民工工资支付检查", "县域商业体系建设", "国土空间规划报批", "校舍维修", "公交线路优化", "河长制问题整改",
        "菜市场周边交通秩序", "财政资金直达", "卫生乡镇创建", "学生营养餐改善", "防返贫动态监测", "供热管网改造", "违法占用耕地整改", "社区养老服务中心",
        "招商引资项目落地", "流感季医疗保障", "乡村道路亮化",
    ]
    static let phrases = [
        "群众反映问题突出，请牵头单位会同相关部门认真研究，限期解决，并将办理情况及时报县委督查室。",
        "县委常委会研究决定，请明确责任分工和时间节点，倒排工期、挂图作战，确保按期完成。",
        "上级交办事项，务必高度重视，逐项整改到位，整改情况附佐证材料。",
        "请认真研究办理，按时答复，答复前与提出人当面沟通，办理结果向社会公开。",
    ]
    static let feedback = [
        "已召开专题会议研究部署，明确了责任分工和完成时限。", "已完成现场踏勘和问题摸排，正在编制实施方案。", "实施方案已报县政府审定，正在办理前期手续。",
        "工程已开工，目前完成总工作量的约40%。", "主体工作已完成约70%，正在组织收尾。", "受雨雪天气影响进度有所滞后，已增加力量抢抓工期。",
    ]

    var random = SplitMix(seed: 20_261_121)
    let today: Day
    let calendar: WorkCalendar

    mutating func pick<T>(_ list: [T]) -> T { list[random.next(list.count)] }

    /// Builds a ledger of `count` items.
    mutating func ledger(items count: Int) throws -> Ledger {
        var ledger = Ledger()
        var seq = 0
        let office = "clerk"
        func record(_ change: Change, _ at: Timestamp, unit: String? = nil, proxy: Bool = false) throws {
            seq += 1
            try ledger.apply(Entry(seq: seq, at: at, actor: office, unit: unit, proxy: proxy, change: change))
        }
        let start = today.adding(days: -720)
        // A generated ledger's history is written item by item, not in time order: a test ledger.
        var settings = Settings(officeName: "青山县委督查室")
        settings.testClock = true
        try record(.initialize(settings), Timestamp(day: start, hour: 8, minute: 0))
        var units: [String] = Generator.townships.map { $0 + (random.next(3) == 0 ? "街道" : "镇") }
        units += Generator.departments.map { "县" + $0 }
        units = Array(units.prefix(80))
        for u in units {
            try record(
                .addUnit(Unit(name: u, kind: u.hasSuffix("局") ? .department : .township)),
                Timestamp(day: start, hour: 8, minute: 1))
        }
        let sources = Settings.standardSources
        // Items spread over two years, registered in date order.
        for i in 0..<count {
            let assigned = start.adding(days: i * 700 / max(1, count))
            guard assigned <= today else { break }
            let urgency = [Urgency.normal, .normal, .normal, .urgent, .critical][random.next(5)]
            let limit = [Urgency.critical: 1, .urgent: 3, .normal: 15][urgency]! + random.next(20)
            let deadline = calendar.adding(workdays: limit, to: assigned)
            let lead = units[random.next(units.count)]
            var co: [String] = []
            for _ in 0..<random.next(3) {
                let u = units[random.next(units.count)]
                if u != lead, !co.contains(u) { co.append(u) }
            }
            let subject = pick(Generator.subjects)
            let r = Registration(
                title: "\(lead.dropFirst(lead.hasPrefix("县") ? 1 : 0))\(subject)（\(i % 97 + 1)）",
                instruction: pick(Generator.phrases),
                source: pick(sources), leader: pick(["李明远", "陈志刚", "王海峰", "赵丽华", "孙建军", "周文斌"]), leadUnit: lead, coUnits: co,
                assignedOn: assigned, deadline: deadline, urgency: urgency)
            let number = ledger.nextNumber(year: assigned.year)
            let at = Timestamp(day: assigned, hour: 9, minute: 0)
            try record(.item(number, .register(r)), at)
            // Its life up to today: most old items are closed, about 30 % of all are overdue.
            let roll = random.next(100)
            let sign = min(today, assigned.adding(days: 1))
            if roll < 5 { continue }  // still unsigned
            try record(.item(number, .sign), Timestamp(day: sign, hour: 10, minute: 0), unit: lead, proxy: true)
            let fb = min(today, sign.adding(days: 2 + random.next(5)))
            try record(
                .item(number, .feedback(text: pick(Generator.feedback))), Timestamp(day: fb, hour: 11, minute: 0), unit: lead,
                proxy: true)
            if deadline >= today || roll < 28 {
                if deadline < today, roll % 3 == 0 {
                    try record(
                        .item(number, .remind(method: .phone, note: "电话催办")),
                        Timestamp(day: deadline.adding(days: 1), hour: 15, minute: 0))
                }
                continue  // open: overdue when the deadline has passed
            }
            let done = min(today, roll < 80 ? deadline.adding(days: -random.next(3)) : deadline.adding(days: 1 + random.next(9)))
            let report = max(done, fb)
            try record(
                .item(number, .requestCompletion(report: "已办理完毕，现申请办结。")), Timestamp(day: report, hour: 16, minute: 0),
                unit: lead, proxy: true)
            if roll > 96 { continue }  // awaiting review
            try record(
                .item(number, .approveCompletion(grade: .good, note: "")),
                Timestamp(day: min(today, report.adding(days: 1)), hour: 17, minute: 0))
        }
        return ledger
    }
}

extension Generator {
    /// The same items as Taskwarrior tasks (description, project = lead unit, due, status), as
    /// `task import` reads them.
    static func taskwarrior(_ ledger: Ledger) -> String {
        func stamp(_ d: Day) -> String { d.description.replacingAll("-", with: "") + "T000000Z" }
        var w = JSONWriter(capacity: ledger.items.count * 200)
        w.beginArray()
        for (i, item) in ledger.items.enumerated() {
            w.beginObject()
            let hex = String(i, radix: 16)
            w.field("uuid", "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex)
            w.field("description", item.title)
            w.field("project", item.leadUnit)
            w.field("due", stamp(item.deadline))
            w.field("entry", stamp(item.assignedOn))
            switch item.state {
            case .closed:
                w.field("status", "completed")
                w.field("end", stamp(item.closedOn ?? item.deadline))
            case .withdrawn:
                w.field("status", "deleted")
                w.field("end", stamp(item.assignedOn))
            default:
                w.field("status", "pending")
            }
            w.endObject()
        }
        w.endArray()
        return w.string
    }
}
