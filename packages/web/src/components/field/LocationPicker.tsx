import { useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import type { GpsPosition } from '@jiuzhu/shared';
import { useT } from '../../i18n';

/**
 * "Use my location": reads the device GPS (navigator.geolocation) and shows the position or the error.
 * Test ids: `<prefix>-locate` (the button), `<prefix>-location` (the position text).
 */
export function LocationPicker({
  value,
  onChange,
  testIdPrefix,
}: {
  value: GpsPosition | null;
  onChange: (location: GpsPosition | null) => void;
  testIdPrefix: string;
}) {
  const t = useT();
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);

  function locate() {
    setLocationError(null);
    if (!('geolocation' in navigator)) {
      setLocationError(t('leads.visit.locationUnsupported'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        onChange({
          latitude: pos.coords.latitude,
          longitude: pos.coords.longitude,
          accuracy: Math.min(pos.coords.accuracy, 100_000),
        });
      },
      (err) => {
        setLocating(false);
        setLocationError(t('leads.visit.locationFailed', { reason: err.message }));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  }

  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Button icon={<EnvironmentOutlined />} loading={locating} onClick={locate} data-testid={`${testIdPrefix}-locate`}>
        {t('leads.visit.useLocation')}
      </Button>
      <Typography.Text type={value ? undefined : 'secondary'} data-testid={`${testIdPrefix}-location`}>
        {value
          ? t('leads.visit.locationValue', {
              lat: value.latitude.toFixed(6),
              lng: value.longitude.toFixed(6),
              acc: Math.round(value.accuracy),
            })
          : t('leads.visit.locationNone')}
      </Typography.Text>
      {locationError && <Typography.Text type="danger">{locationError}</Typography.Text>}
    </Space>
  );
}
