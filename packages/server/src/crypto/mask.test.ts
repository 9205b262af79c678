import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAddress, maskBankAccount, maskName, maskPhone } from './mask';

describe('maskers', () => {
  it('masks phone numbers', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138 1234 5678')).toBe('138****5678');
    expect(maskPhone('0594-2345678')).toBe('059****5678');
    expect(maskPhone('12345678')).toBe('****5678');
    expect(maskPhone('12345')).toBe('****5');
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone('')).toBe('');
  });

  it('masks bank accounts to a fixed shape', () => {
    expect(maskBankAccount('6222021234567891234')).toBe('6222 **** **** 1234');
    expect(maskBankAccount('6222 0212 3456 7890')).toBe('6222 **** **** 7890');
    expect(maskBankAccount('12345678')).toBe('****5678');
  });

  it('hides at least four characters, keeps the length and shows only original characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789X') }), (s) => {
        for (const masked of [maskPhone(s)]) {
          expect(masked.length).toBe(s.length);
          expect([...masked].filter((c) => c === '*').length).toBeGreaterThanOrEqual(Math.min(4, s.length));
          [...masked].forEach((c, i) => c === '*' || expect(c).toBe(s[i]));
        }
      }),
    );
  });

  it('keeps an address down to the township', () => {
    expect(maskAddress('莆田市城厢区灵川镇东沙村12号')).toBe('莆田市城厢区灵川镇****');
    expect(maskAddress('福建省莆田市仙游县榜头镇坝下村3组')).toBe('福建省莆田市仙游县榜头镇****');
    expect(maskAddress('福建省莆田市荔城区拱辰街道沟头社区文献东路88号')).toBe('福建省莆田市荔城区拱辰街道****');
    expect(maskAddress('福建省福清市龙田镇上一村')).toBe('福建省福清市龙田镇****');
    expect(maskAddress('广西壮族自治区南宁市青秀区新竹街道民族大道')).toBe('广西壮族自治区南宁市青秀区新竹街道****');
    expect(maskAddress('江苏省镇江市京口区象山街道学府路1号')).toBe('江苏省镇江市京口区象山街道****');
    expect(maskAddress('北京市东城区东华门街道南池子大街')).toBe('北京市东城区东华门街道****');
  });

  it('hides more, not less, when the address has no township or is unusual', () => {
    expect(maskAddress('莆田市城厢区文献路123号')).toBe('莆田市城厢区****');
    expect(maskAddress('莆田市城厢区阳光城小区5栋')).toBe('莆田市城厢区****');
    expect(maskAddress('莆田市万达小区5栋')).toBe('莆田市****');
    expect(maskAddress('东沙村12号')).toBe('****');
    // A township named after a road (正东路街道) is not recognised: the county is the last part shown.
    expect(maskAddress('江苏省镇江市京口区正东路街道中山东路1号')).toBe('江苏省镇江市京口区****');
    // 东乡族自治县 reads as a township 东乡: less is shown, never more.
    expect(maskAddress('甘肃省临夏回族自治州东乡族自治县锁南镇')).toBe('甘肃省临夏回族自治州东乡****');
    expect(maskAddress('')).toBe('');
  });

  it('masks names for public notices', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳修文')).toBe('欧阳**');
    expect(maskName('欧阳修')).toBe('欧阳*');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('买买提·艾力')).toBe('买**·**');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });
});
