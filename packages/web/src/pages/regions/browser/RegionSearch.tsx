import { useState } from 'react';
import { Button, Empty, Input, theme, Typography } from 'antd';
import type { RegionWithPath } from '@jiuzhu/shared';
import { regionsApi } from '../../../api/regions';
import { useNotifyError } from '../../../api/errors';
import { useT } from '../../../i18n';

/** Searches by name within the user's region; each hit shows its path from the city down. */
export function RegionSearch({ onPick }: { onPick: (region: RegionWithPath) => void }) {
  const t = useT();
  const notifyError = useNotifyError();
  const { token } = theme.useToken();
  const [results, setResults] = useState<RegionWithPath[] | null>(null);
  const [loading, setLoading] = useState(false);

  async function search(q: string) {
    const query = q.trim();
    if (!query) {
      setResults(null);
      return;
    }
    setLoading(true);
    try {
      setResults(await regionsApi.search(query));
    } catch (e) {
      notifyError(e);
    } finally {
      setLoading(false);
    }
  }

  return (
    <>
      <Input.Search
        placeholder={t('regions.search.placeholder')}
        allowClear
        maxLength={32}
        enterButton
        loading={loading}
        onSearch={(q) => void search(q)}
        data-testid="region-search"
      />
      {results && (
        <div
          style={{
            marginTop: 8,
            maxHeight: 280,
            overflowY: 'auto',
            border: `1px solid ${token.colorBorderSecondary}`,
            borderRadius: token.borderRadius,
          }}
          data-testid="region-search-results"
        >
          {results.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('regions.search.empty')} />
          ) : (
            results.map((r) => (
              <Button
                key={r.code}
                type="text"
                block
                onClick={() => onPick(r)}
                style={{
                  justifyContent: 'flex-start',
                  height: 'auto',
                  paddingBlock: 6,
                  whiteSpace: 'normal',
                  textAlign: 'start',
                }}
                data-testid={`region-result-${r.code}`}
              >
                {r.path.join(' / ')}
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {r.code}
                </Typography.Text>
              </Button>
            ))
          )}
        </div>
      )}
    </>
  );
}
