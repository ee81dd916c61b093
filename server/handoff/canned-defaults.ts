/** The starter set of canned replies, written once into an empty store; navigators edit them from the console. */
export const DEFAULT_CANNED_REPLIES: ReadonlyArray<{ id: string; title: string; text: string }> = [
  { id: 'greeting', title: '问候', text: '您好，我是北京市政务服务导办员，很高兴为您服务。请问有什么可以帮您？' },
  { id: 'checking', title: '请稍候', text: '正在为您查询相关规定，请稍候。' },
  { id: 'materials', title: '材料清单', text: '办理所需材料以上方清单为准，请按清单准备原件和复印件；如有特殊情形，请告诉我您的具体情况。' },
  { id: 'online', title: '线上办理', text: '该事项可以在京通小程序或北京市政务服务网上办理，登录后在“办事”栏目搜索事项名称即可进入。' },
  { id: 'refer', title: '转介部门', text: '您的问题需要由主管部门答复，建议您拨打部门咨询电话，或拨打 12345 市民服务热线。' },
  { id: 'closing', title: '结束语', text: '请问还有其他可以帮您的吗？如果没有，本次服务即将结束，欢迎您对本次服务作出评价。' },
];
