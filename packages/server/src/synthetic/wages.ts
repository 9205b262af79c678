/** A fast writer of large synthetic wages files (hrss.wages layout), for the benchmark and the crash test. */
import fs from 'node:fs';
import { makeIdNumber } from '@jiuzhu/shared';

export const WAGES_HEADER =
  'record_id,id_number,name,pay_date,wage_month,employer_name,employer_credit_code,monthly_wage_fen';
const SURNAMES = ['陈', '林', '黄', '郑', '吴', '李', '王', '张', '刘', '蔡'];
const GIVEN = ['美华', '振鑫', '秀英', '建国', '丽娟', '志强', '雅婷', '文斌', '淑珍', '海峰'];
const EMPLOYERS = [
  '莆田市某某鞋业有限公司',
  '福建省某某工艺品有限公司',
  '莆田市城厢区某某商行',
  '某某建筑工程有限公司',
];

/** An N-row wages file with valid ID numbers (a pool, reused) and one bad row in 10,000. */
export async function writeWages(file: string, rows: number, prefix: string): Promise<{ bad: number; bytes: number }> {
  const ids: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const year = 1960 + (i % 45);
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (i % 12)).padStart(2, '0');
    ids.push(
      makeIdNumber(['350302', '350303', '350304', '350305', '350322'][i % 5]!, `${year}-${month}-${day}`, i % 1000),
    );
  }
  const out = fs.createWriteStream(file);
  out.write(`${WAGES_HEADER}\n`);
  let chunk: string[] = [];
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    const isBad = i % 10_000 === 9_999;
    if (isBad) bad++;
    const wage = isBad ? '-100' : String(200_000 + ((i * 7919) % 900_000));
    const day = String(1 + (i % 28)).padStart(2, '0');
    chunk.push(
      `${prefix}${String(i).padStart(9, '0')},${ids[i % ids.length]},${SURNAMES[i % 10]}${GIVEN[(i >> 3) % 10]},2025-11-${day},2025-10,${EMPLOYERS[i % 4]},91350300MA2Y${String(i % 1_000_000).padStart(6, '0')},${wage}`,
    );
    if (chunk.length === 10_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = [];
    }
  }
  if (chunk.length) out.write(`${chunk.join('\n')}\n`);
  await new Promise<void>((r) => out.end(() => r()));
  return { bad, bytes: fs.statSync(file).size };
}
