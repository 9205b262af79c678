import { Segmented } from 'antd';
import { useI18n, type Lang } from '../i18n';

/** Each language is named in itself, so a user stuck in the wrong one can still find theirs. */
const OPTIONS: { value: Lang; label: string }[] = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en-US', label: 'English' },
];

export function LanguageSwitch() {
  const { lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      value={lang}
      onChange={setLang}
      data-testid="lang-switch"
      options={OPTIONS.map((o) => ({
        value: o.value,
        label: <span data-testid={`lang-${o.value}`}>{o.label}</span>,
      }))}
    />
  );
}
