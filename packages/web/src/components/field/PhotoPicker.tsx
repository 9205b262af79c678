import { useEffect, useRef, useState } from 'react';
import { Button, Flex, Typography } from 'antd';
import { CameraOutlined, CloseOutlined } from '@ant-design/icons';
import { LEAD_PHOTO_MAX_BYTES, LEAD_PHOTO_MAX_COUNT } from '@jiuzhu/shared';
import { useT } from '../../i18n';
import { readDataUrl } from './readDataUrl';

/** A chosen photo: its file name, an object URL for the preview and the `data:` URL to upload. */
export type PickedPhoto = { name: string; url: string; dataUrl: string };

/**
 * Photos taken with the camera on phones (or chosen from files): previews with remove buttons,
 * JPEG/PNG only, at most LEAD_PHOTO_MAX_COUNT of at most LEAD_PHOTO_MAX_BYTES each.
 * Test ids: `<prefix>-photo-input`, `<prefix>-photo-preview-<i>`, `<prefix>-photo-add`.
 */
export function PhotoPicker({
  value,
  onChange,
  testIdPrefix,
}: {
  value: PickedPhoto[];
  onChange: (photos: PickedPhoto[]) => void;
  testIdPrefix: string;
}) {
  const t = useT();
  const [photoError, setPhotoError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // Object URLs of the previews are released when they leave the form.
  const urls = useRef<string[]>([]);
  useEffect(() => {
    const held = urls.current;
    return () => held.forEach((u) => URL.revokeObjectURL(u));
  }, []);

  async function addPhotos(files: FileList | null) {
    setPhotoError(null);
    if (!files) return;
    const next = [...value];
    for (const file of Array.from(files)) {
      if (next.length >= LEAD_PHOTO_MAX_COUNT) break;
      if (!['image/jpeg', 'image/png'].includes(file.type)) {
        setPhotoError(t('leads.visit.photoType', { name: file.name }));
        continue;
      }
      if (file.size > LEAD_PHOTO_MAX_BYTES) {
        setPhotoError(t('leads.visit.photoTooLarge', { name: file.name }));
        continue;
      }
      const url = URL.createObjectURL(file);
      urls.current.push(url);
      next.push({ name: file.name, url, dataUrl: await readDataUrl(file) });
    }
    onChange(next);
    if (fileInput.current) fileInput.current.value = '';
  }

  return (
    <>
      <input
        ref={fileInput}
        type="file"
        accept="image/jpeg,image/png"
        capture="environment"
        multiple
        // Opened by the button below; `hidden` alone loses to the form's input styles.
        style={{ display: 'none' }}
        onChange={(e) => void addPhotos(e.target.files)}
        data-testid={`${testIdPrefix}-photo-input`}
      />
      <Flex wrap gap={8}>
        {value.map((p, i) => (
          <div key={p.url} style={{ position: 'relative' }} data-testid={`${testIdPrefix}-photo-preview-${i}`}>
            <img
              src={p.url}
              alt={p.name}
              style={{ width: 88, height: 88, objectFit: 'cover', borderRadius: 6, border: '1px solid #eee' }}
            />
            <Button
              size="small"
              shape="circle"
              icon={<CloseOutlined />}
              aria-label={t('leads.visit.removePhoto')}
              style={{ position: 'absolute', top: -6, right: -6 }}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            />
          </div>
        ))}
        {value.length < LEAD_PHOTO_MAX_COUNT && (
          <Button
            icon={<CameraOutlined />}
            style={{ height: 88 }}
            onClick={() => fileInput.current?.click()}
            data-testid={`${testIdPrefix}-photo-add`}
          >
            {t('leads.visit.addPhoto')}
          </Button>
        )}
      </Flex>
      {photoError && <Typography.Text type="danger">{photoError}</Typography.Text>}
    </>
  );
}
