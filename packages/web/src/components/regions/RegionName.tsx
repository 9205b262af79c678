import { useEffect, useState } from 'react';
import { Tooltip } from 'antd';
import { regionsApi } from '../../api/regions';

// Region names do not change while the app is open; one request per code and page load.
const names = new Map<string, Promise<string>>();

function nameOf(code: string): Promise<string> {
  let p = names.get(code);
  if (!p) {
    p = regionsApi.get(code).then(
      (r) => r.name,
      () => {
        // Forget failures so a later render may try again.
        names.delete(code);
        return code;
      },
    );
    names.set(code, p);
  }
  return p;
}

/** A region shown by name (code on hover), for API answers that carry only the code. */
export function RegionName({ code }: { code: string }) {
  const [name, setName] = useState<{ code: string; name: string } | null>(null);
  useEffect(() => {
    let live = true;
    void nameOf(code).then((n) => {
      if (live) setName({ code, name: n });
    });
    return () => {
      live = false;
    };
  }, [code]);
  return (
    <Tooltip title={code}>
      <span>{name?.code === code ? name.name : code}</span>
    </Tooltip>
  );
}
