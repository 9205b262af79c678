/**
 * Chinese personal names for the synthetic city: surnames by frequency (the
 * national top 100, re-weighted for Fujian and for Putian, where 林 陈 黄 郑
 * dominate), given names of one or two characters from lists that follow the
 * fashions of the person's birth decades. Common whole given names are drawn
 * now and then, so identical full names occur as often as in a real registry,
 * which is the point: matching must never rely on names.
 */
import { weightedTable, type Random, type WeightedTable } from './random';

export type Sex = 'male' | 'female';

/**
 * The national top 100 (approximate shares in %, rounded from the public
 * security ministry's household-registration statistics; 萧 merged into 肖).
 */
// prettier-ignore
const NATIONAL: ReadonlyArray<readonly [string, number]> = [
  ['王', 7.1], ['李', 7.0], ['张', 6.7], ['刘', 5.4], ['陈', 4.6], ['杨', 3.1], ['黄', 2.4], ['赵', 2.1],
  ['吴', 2.0], ['周', 1.9], ['徐', 1.4], ['孙', 1.4], ['马', 1.3], ['朱', 1.3], ['胡', 1.3], ['郭', 1.2],
  ['何', 1.2], ['高', 1.2], ['林', 1.2], ['罗', 1.0], ['郑', 0.9], ['梁', 0.9], ['谢', 0.8], ['宋', 0.8],
  ['唐', 0.7], ['许', 0.7], ['韩', 0.7], ['冯', 0.7], ['邓', 0.7], ['曹', 0.6], ['彭', 0.6], ['曾', 0.6],
  ['肖', 0.6], ['田', 0.5], ['董', 0.5], ['袁', 0.5], ['潘', 0.5], ['于', 0.5], ['蒋', 0.5], ['蔡', 0.5],
  ['余', 0.5], ['杜', 0.5], ['叶', 0.4], ['程', 0.4], ['苏', 0.4], ['魏', 0.4], ['吕', 0.4], ['丁', 0.4],
  ['任', 0.4], ['沈', 0.4], ['姚', 0.4], ['卢', 0.4], ['姜', 0.4], ['崔', 0.3], ['钟', 0.3], ['谭', 0.3],
  ['陆', 0.3], ['汪', 0.3], ['范', 0.3], ['金', 0.3], ['石', 0.3], ['廖', 0.3], ['贾', 0.3], ['夏', 0.3],
  ['韦', 0.3], ['付', 0.3], ['方', 0.3], ['白', 0.3], ['邹', 0.3], ['孟', 0.3], ['熊', 0.3], ['秦', 0.2],
  ['邱', 0.2], ['江', 0.2], ['尹', 0.2], ['薛', 0.2], ['闫', 0.2], ['段', 0.2], ['雷', 0.2], ['侯', 0.2],
  ['龙', 0.2], ['史', 0.2], ['陶', 0.2], ['黎', 0.2], ['贺', 0.2], ['顾', 0.2], ['毛', 0.2], ['郝', 0.2],
  ['龚', 0.2], ['邵', 0.2], ['万', 0.2], ['钱', 0.2], ['严', 0.2], ['覃', 0.2], ['武', 0.2], ['戴', 0.2],
  ['莫', 0.2], ['孔', 0.2], ['向', 0.2], ['汤', 0.2],
];

/**
 * Putian (莆田) shares, approximate: 陈林半天下, then 黄 郑; local names such as
 * 翁 卓 柯 游 傅 詹 欧 are far more common than nationally. Surnames not listed
 * keep a small national share through the blend below.
 */
// prettier-ignore
const PUTIAN: ReadonlyArray<readonly [string, number]> = [
  ['林', 15.0], ['陈', 13.5], ['黄', 8.0], ['郑', 7.0], ['吴', 4.0], ['蔡', 2.6], ['李', 2.8], ['王', 2.6],
  ['张', 2.4], ['刘', 2.0], ['许', 2.0], ['方', 2.0], ['朱', 1.8], ['翁', 1.5], ['杨', 1.4], ['周', 1.3],
  ['卓', 1.0], ['宋', 1.0], ['徐', 1.0], ['柯', 0.9], ['游', 0.8], ['余', 0.8], ['何', 0.8], ['傅', 0.7],
  ['谢', 0.6], ['苏', 0.6], ['曾', 0.5], ['姚', 0.5], ['邱', 0.5], ['肖', 0.5], ['詹', 0.4], ['欧', 0.4],
  ['关', 0.4], ['薛', 0.4], ['潘', 0.4], ['康', 0.3], ['魏', 0.3], ['戴', 0.3], ['唐', 0.3], ['颜', 0.3],
  ['江', 0.3], ['范', 0.3], ['彭', 0.3], ['严', 0.2], ['温', 0.2], ['龚', 0.2], ['罗', 0.3], ['郭', 0.4],
];

/** Fujian as a whole: 陈 林 黄 far above the national shares. */
// prettier-ignore
const FUJIAN_BOOST: Readonly<Record<string, number>> = {
  '陈': 2.5, '林': 6, '黄': 2.5, '郑': 3, '吴': 1.5, '蔡': 3, '许': 2, '方': 3, '翁': 1, '卓': 1, '柯': 1,
  '游': 1, '詹': 1, '傅': 1, '苏': 2, '曾': 2, '邱': 2, '江': 2, '洪': 1, '庄': 1, '施': 1,
};

/** Names of 35xxxx cities other than Putian lean Fujian; other provinces use the national table. */
export function surnameTable(cityCode: string): WeightedTable<string> {
  const weights = new Map<string, number>(NATIONAL);
  if (cityCode.startsWith('3503')) {
    // 90% Putian's own distribution, 10% the national one (people who married or moved in).
    for (const [s, w] of weights) weights.set(s, w * 0.1);
    for (const [s, w] of PUTIAN) weights.set(s, (weights.get(s) ?? 0) + w * 0.9);
  } else if (cityCode.startsWith('35')) {
    for (const [s, factor] of Object.entries(FUJIAN_BOOST)) weights.set(s, (weights.get(s) ?? 0.1) * (1 + factor));
  }
  return weightedTable([...weights.entries()]);
}

type Era = 'old' | 'mid' | 'young';

function eraOf(birthYear: number): Era {
  return birthYear < 1965 ? 'old' : birthYear < 1995 ? 'mid' : 'young';
}

const chars = (s: string): readonly string[] => Array.from(s);

/** Characters by sex and birth era; either position of a two-character name draws from them. */
const CHARS: Record<Sex, Record<Era, readonly string[]>> = {
  male: {
    old: chars('金水国建德福文明春荣清忠义华志光发财宝贵生泉龙海山根木松顺永良禄瑞元辉亚兴庆成祥添炳仁'),
    mid: chars('伟强军勇斌杰涛明辉鹏华峰俊彬建志文锋剑超磊健林东平荣海国清金良毅鑫晓坤宏新力雄'),
    young: chars('浩宇轩子梓睿博铭泽一晨辰俊杰航然嘉皓逸锦煜宸昊鑫涛豪文凯阳翔毅诚奕'),
  },
  female: {
    old: chars('秀英兰珍桂玉凤美金花琴素淑梅娇月春香莲妹娥容芳碧雪霞清珠惠玲菊爱'),
    mid: chars('丽芳娟敏静燕艳红霞玲婷萍慧琳雪晶颖洁丹莉华梅芬秀云蓉青倩美琼佳'),
    young: chars('欣怡涵诗雨梓子萱琪佳悦馨彤妍思可晨雅婧依心语嘉瑶睿若钰菲一琳宁雯'),
  },
};

/** Whole given names that were very popular in their decades: the source of most identical full names. */
const POPULAR: Record<Sex, Record<Era, readonly string[]>> = {
  male: {
    old: [
      '金水',
      '国平',
      '建华',
      '德福',
      '文明',
      '春生',
      '金龙',
      '国华',
      '建国',
      '荣华',
      '明德',
      '金福',
      '亚金',
      '文清',
    ],
    mid: ['伟', '强', '军', '勇', '斌', '伟强', '志强', '建华', '海峰', '文彬', '俊杰', '志明', '建平', '国强'],
    young: ['子轩', '浩然', '宇轩', '梓豪', '一鸣', '俊熙', '宇航', '浩宇', '子豪', '梓睿', '博文', '晨阳'],
  },
  female: {
    old: [
      '秀英',
      '桂英',
      '秀兰',
      '玉兰',
      '秀珍',
      '桂兰',
      '玉珍',
      '凤英',
      '玉英',
      '秀华',
      '美玉',
      '秀琴',
      '淑珍',
      '金花',
    ],
    mid: ['丽娟', '丽华', '秀芳', '静', '敏', '燕', '丽', '艳', '婷婷', '丽丽', '晓燕', '玉梅', '秀梅', '美华'],
    young: ['梓涵', '欣怡', '诗涵', '子涵', '雨欣', '可欣', '思涵', '佳怡', '语桐', '梓萱', '诗琪', '雨涵'],
  },
};

/** Share of one-character given names by era (commoner in the 1960s–80s than today). */
const SINGLE_SHARE: Record<Era, number> = { old: 0.12, mid: 0.22, young: 0.08 };
const POPULAR_SHARE = 0.15;

export function givenName(rng: Random, sex: Sex, birthYear: number): string {
  const era = eraOf(birthYear);
  if (rng.bernoulli(POPULAR_SHARE)) return rng.pick(POPULAR[sex][era]);
  const pool = CHARS[sex][era];
  if (rng.bernoulli(SINGLE_SHARE[era])) {
    // 子 and 一 are only ever the first of two characters.
    let single = rng.pick(pool);
    while (single === '子' || single === '一') single = rng.pick(pool);
    return single;
  }
  const first = rng.pick(pool);
  // Reduplicated names (婷婷, 丽丽) are mostly girls' names of the last decades.
  if (sex === 'female' && era !== 'old' && rng.bernoulli(0.03)) return first + first;
  let second = rng.pick(pool);
  for (let tries = 0; second === first && tries < 5; tries++) second = rng.pick(pool);
  return first + second;
}

export function fullName(
  rng: Random,
  surnames: WeightedTable<string>,
  sex: Sex,
  birthYear: number,
  surname?: string,
): string {
  return (surname ?? rng.from(surnames)) + givenName(rng, sex, birthYear);
}
