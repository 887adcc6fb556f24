// The page's words in Chinese (default) and English. Keys are grouped by where they appear.

const DICTIONARY = {
  zh: {
    'app.title': '县域电商与快递物流监测',
    'app.subtitle': '数据实时更新',
    'lang.switch': 'English',
    'login.title': '官员登录',
    'login.username': '用户名',
    'login.password': '密码',
    'login.submit': '登录',
    'login.busy': '正在登录…',
    'login.failed': '登录失败：{detail}',
    'login.hint': '使用登记服务发放的账号登录；令牌只保存在本标签页中。',
    'session.logout': '退出',
    'session.roles': '角色',
    'session.region': '辖区',
    'session.nationwide': '全国',
    'session.expired': '登录已过期，请重新登录。',
    'role.admin': '管理员',
    'role.commerce': '商务',
    'role.postal': '邮政',
    'role.auditor': '审计',
    'role.viewer': '查看',
    'region.label': '区域',
    'region.choose': '选择下级区划…',
    'region.noChildren': '没有下级区划',
    'region.loading': '正在加载区划…',
    'region.up': '返回上级',
    'period.label': '统计期',
    'period.THIS_MONTH': '本月',
    'period.THIS_YEAR': '本年',
    'tab.overview': '指标概览',
    'tab.coverage': '补白清单',
    'tab.tracking': '快递查询',
    'tab.funds': '资金项目',
    'live.connecting': '实时数据连接中…',
    'live.connected': '实时更新中',
    'live.reconnecting': '实时连接中断，{seconds} 秒后重连',
    'live.updated': '{time} 更新',
    'state.loading': '加载中…',
    'state.empty': '暂无数据',
    'state.error': '出错了：{detail}',
    'state.analyticsUnavailable': '分析服务暂不可用：{detail}。指标稍后显示。',
    'state.notOffered': '该服务尚未提供此查询（HTTP 404）',
    'punctuation.colon': '：',
    'card.yoy': '同比',
    'card.target': '目标',
    'card.attainment': '完成率',
    'card.noTarget': '未设目标',
    'card.onTrack': '进度正常',
    'card.offTrack': '进度落后',
    'card.rank': '在 {siblings} 个同级区划中排第 {rank}',
    'trend.retail': '网络零售额趋势',
    'trend.parcels': '快递业务量趋势',
    'trend.byMonth': '按月',
    'trend.byDay': '按日',
    'trend.unit.wan': '万元',
    'trend.unit.pieces': '件',
    'coverage.title': '补白清单：尚未覆盖的乡镇和村',
    'coverage.asOf': '截至 {date}',
    'coverage.towns': '乡乡有网点（乡镇快递服务站）',
    'coverage.villagePoints': '村级电商服务点覆盖',
    'coverage.villageExpress': '村村通快递',
    'coverage.ratio': '覆盖率',
    'coverage.covered': '已覆盖 {covered} / 共 {total}',
    'coverage.allCovered': '全部已覆盖',
    'coverage.nothingToCover': '本区域没有需要覆盖的区划',
    'coverage.code': '区划代码',
    'coverage.name': '名称',
    'tracking.title': '快递查询',
    'tracking.carrier': '快递公司',
    'tracking.waybill': '运单号',
    'tracking.submit': '查询',
    'tracking.prompt': '选择快递公司并输入运单号。',
    'tracking.status': '当前状态',
    'tracking.pickedUpAt': '揽收时间',
    'tracking.deliveredAt': '签收时间',
    'tracking.origin': '始发地',
    'tracking.destination': '目的地',
    'tracking.joint': '共同配送',
    'tracking.yes': '是',
    'tracking.no': '否',
    'tracking.scans': '物流轨迹',
    'tracking.time': '时间',
    'tracking.code': '原始状态码',
    'tracking.place': '地点',
    'tracking.noScans': '暂无扫描记录',
    'tracking.invalid': '请填写运单号（字母和数字）。',
    'funds.title': '资金项目',
    'funds.totals': '本年资金汇总',
    'funds.allocated': '已下达',
    'funds.disbursed': '已拨付',
    'funds.rate': '拨付率',
    'funds.program': '项目',
    'funds.tranches': '分批拨付',
    'funds.unavailable': '资金服务暂不可用：{detail}。',
    'funds.none': '本区域暂无资金项目',
    'status.created': '已下单',
    'status.picked_up': '已揽收',
    'status.in_transit': '运输中',
    'status.at_hub': '到达分拨中心',
    'status.out_for_delivery': '派送中',
    'status.at_pickup_point': '待取件',
    'status.delivered': '已签收',
    'status.exception': '异常',
    'status.returned': '已退回',
  },
  en: {
    'app.title': 'County e-commerce & express logistics monitor',
    'app.subtitle': 'Live data',
    'lang.switch': '中文',
    'login.title': 'Official sign-in',
    'login.username': 'Username',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.busy': 'Signing in…',
    'login.failed': 'Sign-in failed: {detail}',
    'login.hint': 'Use the account the registry issued; the token is kept in this tab only.',
    'session.logout': 'Sign out',
    'session.roles': 'Roles',
    'session.region': 'Region',
    'session.nationwide': 'Nationwide',
    'session.expired': 'Your session has expired; please sign in again.',
    'role.admin': 'Administrator',
    'role.commerce': 'Commerce',
    'role.postal': 'Postal',
    'role.auditor': 'Auditor',
    'role.viewer': 'Viewer',
    'region.label': 'Region',
    'region.choose': 'Choose a subdivision…',
    'region.noChildren': 'No subdivisions',
    'region.loading': 'Loading divisions…',
    'region.up': 'Up one level',
    'period.label': 'Period',
    'period.THIS_MONTH': 'This month',
    'period.THIS_YEAR': 'This year',
    'tab.overview': 'Indicators',
    'tab.coverage': 'Coverage gaps',
    'tab.tracking': 'Parcel tracking',
    'tab.funds': 'Fund programs',
    'live.connecting': 'Connecting to live data…',
    'live.connected': 'Live',
    'live.reconnecting': 'Live connection lost; retrying in {seconds} s',
    'live.updated': 'updated {time}',
    'state.loading': 'Loading…',
    'state.empty': 'No data yet',
    'state.error': 'Something went wrong: {detail}',
    'state.analyticsUnavailable':
      'The analytics service is unavailable: {detail}. Indicators will appear later.',
    'state.notOffered': 'the service does not offer this query yet (HTTP 404)',
    'punctuation.colon': ': ',
    'card.yoy': 'YoY',
    'card.target': 'Target',
    'card.attainment': 'Attainment',
    'card.noTarget': 'No target set',
    'card.onTrack': 'On track',
    'card.offTrack': 'Behind',
    'card.rank': 'Rank {rank} of {siblings} peers',
    'trend.retail': 'Online retail sales',
    'trend.parcels': 'Parcel volume',
    'trend.byMonth': 'By month',
    'trend.byDay': 'By day',
    'trend.unit.wan': '10k yuan',
    'trend.unit.pieces': 'parcels',
    'coverage.title': 'Coverage gaps: towns and villages still without service',
    'coverage.asOf': 'as of {date}',
    'coverage.towns': 'Towns with an express service station',
    'coverage.villagePoints': 'Villages with an e-commerce service point',
    'coverage.villageExpress': 'Villages with express delivery',
    'coverage.ratio': 'Coverage',
    'coverage.covered': '{covered} of {total} covered',
    'coverage.allCovered': 'All covered',
    'coverage.nothingToCover': 'Nothing to cover in this region',
    'coverage.code': 'Division code',
    'coverage.name': 'Name',
    'tracking.title': 'Parcel tracking',
    'tracking.carrier': 'Carrier',
    'tracking.waybill': 'Waybill number',
    'tracking.submit': 'Track',
    'tracking.prompt': 'Choose a carrier and enter a waybill number.',
    'tracking.status': 'Status',
    'tracking.pickedUpAt': 'Picked up',
    'tracking.deliveredAt': 'Delivered',
    'tracking.origin': 'Origin',
    'tracking.destination': 'Destination',
    'tracking.joint': 'Joint distribution',
    'tracking.yes': 'yes',
    'tracking.no': 'no',
    'tracking.scans': 'Scan history',
    'tracking.time': 'Time',
    'tracking.code': 'Carrier code',
    'tracking.place': 'Place',
    'tracking.noScans': 'No scans yet',
    'tracking.invalid': 'Enter a waybill number (letters and digits).',
    'funds.title': 'Fund programs',
    'funds.totals': 'Funds this year',
    'funds.allocated': 'Allocated',
    'funds.disbursed': 'Disbursed',
    'funds.rate': 'Disbursement rate',
    'funds.program': 'Program',
    'funds.tranches': 'Tranches',
    'funds.unavailable': 'The funds service is unavailable: {detail}.',
    'funds.none': 'No fund programs in this region yet',
    'status.created': 'Order created',
    'status.picked_up': 'Picked up',
    'status.in_transit': 'In transit',
    'status.at_hub': 'At sorting hub',
    'status.out_for_delivery': 'Out for delivery',
    'status.at_pickup_point': 'At pickup point',
    'status.delivered': 'Delivered',
    'status.exception': 'Exception',
    'status.returned': 'Returned',
  },
};

/** Indicator names used when the analytics catalogue is not reachable. */
export const INDICATOR_NAMES = {
  retail_sales: ['网络零售额', 'Online retail sales'],
  retail_sales_agricultural: ['农产品网络零售额', 'Agricultural online retail sales'],
  retail_enterprises: ['网络零售企业数', 'Online retail enterprises'],
  retail_enterprises_new: ['新增网络零售企业', 'New online retail enterprises'],
  enterprises_over_threshold: ['头部企业数', 'Enterprises over threshold'],
  parcel_volume: ['快递业务量', 'Parcel volume'],
  parcels_delivered: ['派送量', 'Parcels delivered'],
  hub_sorted: ['日分拣量', 'Parcels sorted at hubs'],
  delivery_hours_p50: ['派送时效（中位）', 'Delivery time (median)'],
  delivery_hours_p90: ['派送时效（P90）', 'Delivery time (P90)'],
  joint_distribution_share: ['共配比例', 'Joint distribution share'],
  town_station_coverage: ['乡乡有网点', 'Towns with a station'],
  village_point_coverage: ['村级服务点覆盖率', 'Villages with a service point'],
  village_express_coverage: ['村村通快递', 'Villages with express delivery'],
  training_attendees: ['培训人次', 'Training attendees'],
  funds_allocated: ['资金下达', 'Funds allocated'],
  funds_disbursed: ['资金拨付', 'Funds disbursed'],
  funds_disbursement_rate: ['资金拨付率', 'Disbursement rate'],
  target_attainment: ['目标完成率', 'Target attainment'],
};

const STORAGE_KEY = 'ecomlog.lang';
let current = readStoredLanguage();

function readStoredLanguage() {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'zh';
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, current);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
}

/** The text for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = DICTIONARY[current][key] ?? DICTIONARY.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : ''));
}

/** Fills every element marked `data-i18n="key"` (text) or `data-i18n-placeholder` under `root`. */
export function translatePage(root = document) {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.setAttribute('placeholder', t(element.dataset.i18nPlaceholder));
  }
}

export function indicatorName(id, catalogue) {
  const entry = catalogue?.get(id);
  if (entry) return current === 'zh' ? entry.nameZh : entry.nameEn;
  const fallback = INDICATOR_NAMES[id];
  return fallback ? fallback[current === 'zh' ? 0 : 1] : id;
}
