import { zhCN } from 'date-fns/locale/zh-CN';
import { formatInTimeZone } from 'date-fns-tz';
import type { DigestStage } from '../digest-content.types.js';
import type { DigestMessages } from './digest-messages.js';

/** Joins `甲`, `甲和乙`, `甲、乙和丙`. */
function list(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join('、')}，还${parts.at(-1)}`;
}

const STAGES: Record<DigestStage, string> = {
  OBSERVER: '关注者',
  USER: '用户',
  FIRST_TIME_CONTRIBUTOR: '首次贡献者',
  REGULAR_CONTRIBUTOR: '活跃贡献者',
  MAINTAINER: '维护者',
  LAPSED: '暂离的贡献者',
};

const KINDS: Record<string, string> = {
  gpu_hours: '小时 GPU 算力',
  api_credits: '个 API 额度',
  mentor_hours: '小时导师辅导',
  dataset: '个数据集',
  other: '份资源',
};

/** Simplified Chinese, with GitHub's own Chinese terms (拉取请求, 议题, 审查, 仓库, 发行版). */
export const zhCn: DigestMessages = {
  locale: 'zh-CN',
  htmlLang: 'zh-CN',
  dateLocale: zhCN,
  dayFormat: 'M月d日 EEE',
  dayTimeFormat: 'M月d日 EEE HH:mm',
  dateFormat: 'yyyy年M月d日',
  counted: (title, count) => `${title}（${count}）`,
  weekSpan(start, lastDay, timeZone) {
    const sameMonth = formatInTimeZone(start, timeZone, 'yyyy-MM') === formatInTimeZone(lastDay, timeZone, 'yyyy-MM');
    const sameYear = formatInTimeZone(start, timeZone, 'yyyy') === formatInTimeZone(lastDay, timeZone, 'yyyy');
    const from = formatInTimeZone(start, timeZone, 'yyyy年M月d日');
    const to = formatInTimeZone(lastDay, timeZone, sameMonth ? 'd日' : sameYear ? 'M月d日' : 'yyyy年M月d日');
    return `${from}至${to}`;
  },
  subject: ({ weekNumber, ecosystem, headline }) => (ecosystem ? `你在 ${ecosystem} 的第 ${weekNumber} 周：${headline}` : `你的第 ${weekNumber} 周：${headline}`),
  headline({ merged, reviews, issues, commits, firstRepository, team, openIssues, hackathon }) {
    if (firstRepository) return `你为 ${firstRepository} 做出了第一次贡献`;
    if (merged) return `${merged} 个拉取请求已合并`;
    if (reviews) return `你审查了 ${reviews} 个拉取请求`;
    if (issues) return `你创建了 ${issues} 个议题`;
    if (commits) return `${commits} 个提交进入了默认分支`;
    if (team) return team.result ? `${team.hackathon} 评审结果已公布` : `你的团队在 ${team.hackathon} 获得了资源`;
    if (hackathon) return `${hackathon} 即将开始`;
    if (openIssues) return `${openIssues} 个议题正在寻求帮助`;
    return '社区本周动态';
  },
  preheader: ({ weekNumber, span }) => `第 ${weekNumber} 周（${span}）：你做了什么、走到了哪一步、下一步可以做什么。`,
  greeting: (name) => `${name}，你好！`,
  summary({ merged, reviews, issues, commits, opened, comments }) {
    const parts: string[] = [];
    if (merged) parts.push(`有 ${merged} 个拉取请求被合并`);
    if (reviews) parts.push(`审查了 ${reviews} 个拉取请求`);
    if (issues) parts.push(`创建了 ${issues} 个议题`);
    if (!parts.length && commits) parts.push(`有 ${commits} 个提交进入了默认分支`);
    if (!parts.length && opened) parts.push(`发起了 ${opened} 个拉取请求`);
    if (!parts.length && comments) parts.push(`发表了 ${comments} 条评论`);
    return `本周你${list(parts)}。感谢你的付出！`;
  },
  quietWeek: '你这周比较清闲——来看看社区里有哪些事情正等着你。',
  weekTitle: (weekNumber) => `第 ${weekNumber} 周`,
  sections: { yourWeek: '你的一周', path: '你的成长路径', nextSteps: '下一步', community: '社区动态' },
  mergedTitle: '已合并的拉取请求',
  reviewsTitle: '审查',
  issuesTitle: '你创建的议题',
  firstContributionsTitle: '新参与的仓库',
  firstContribution: (repository) => `你第一次为 ${repository} 做出贡献——欢迎加入！`,
  reviewState(state) {
    switch (state) {
      case 'APPROVED':
        return '已批准';
      case 'CHANGES_REQUESTED':
        return '请求修改';
      default:
        return '已评论';
    }
  },
  otherWork({ commits, opened, comments }) {
    const parts: string[] = [];
    if (commits) parts.push(`${commits} 个提交`);
    if (opened) parts.push(`发起 ${opened} 个拉取请求`);
    if (comments) parts.push(`${comments} 条评论`);
    return parts.length ? `此外还有：${parts.join('、')}。` : null;
  },
  stageName: (stage) => STAGES[stage],
  stageNow: (stage, since) => (stage === 'LAPSED' ? `你自 ${since} 起暂时离开了，我们期待你回来。` : `自 ${since} 起，你成为了社区的${STAGES[stage]}。`),
  next(step) {
    switch (step.kind) {
      case 'first_contribution':
        return '只要有一个拉取请求被合并（或一个提交进入默认分支），你就会成为首次贡献者。';
      case 'regular':
        return step.needed === 1
          ? `在接下来的 ${step.withinWeeks} 周内再有 1 次贡献被接受，你就会成为活跃贡献者。`
          : `在接下来的 ${step.withinWeeks} 周内再有 ${step.needed} 次贡献被接受（分布在不同的周），你就会成为活跃贡献者。`;
      case 'maintainer':
        return `合并 ${step.merges} 个他人的拉取请求，或批准 ${step.approvals} 个，你就会成为维护者。`;
      case 'return':
        return `只要再有一次贡献被接受，你就会以${STAGES[step.to]}的身份回归。`;
    }
  },
  maintainerNext: '你已经走到了最后一个阶段：感谢你对项目的悉心维护。',
  lapseWarning: (date) => `你上一次贡献已经有一段时间了：在 ${date} 之前再贡献一次，就能保持现在的阶段。`,
  rank: (position, of) => `本周在 ${of} 位活跃贡献者中，你排名第 ${position}。`,
  issuesHeading: '你熟悉的仓库里正在寻求帮助的议题',
  issueOpened: (date) => `创建于 ${date}`,
  hackathonsHeading: '即将举行的黑客松',
  hackathonLine({ dates, deadline, registrationOpen, registered }) {
    if (registered) return `${dates} · 你已报名`;
    if (registrationOpen && deadline) return `${dates} · 报名截止：${deadline}`;
    if (registrationOpen) return `${dates} · 报名进行中`;
    return dates;
  },
  teamHeading: '你的团队',
  teamAllocations: (team, hackathon) => `${team}（${hackathon}）获得了：`,
  allocationUnits: (units, kind) => `${units} ${KINDS[kind] ?? KINDS.other}`,
  teamResult: ({ team, hackathon, rank, of }) => `${hackathon} 的评审结果已公布：${team} 在 ${of} 支队伍中排名第 ${rank}。`,
  welcome: (count) => `本周有 ${count} 位新朋友第一次做出贡献，欢迎他们：`,
  andOthers: (count) => `等另外 ${count} 位`,
  releasesHeading: '本周发布',
  release: (repository, tag) => `${repository} ${tag}`,
  footerWhy: (ecosystem) => `你收到这封周报，是因为你是 Cambrian 上${ecosystem ? ` ${ecosystem} ` : ''}社区的成员。`,
  preferences: '邮件偏好设置',
  unsubscribe: '退订',
  viewOnGithub: '在 GitHub 上查看',
};
