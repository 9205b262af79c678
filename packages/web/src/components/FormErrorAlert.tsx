import { Alert } from 'antd';
import type { FormSubmitError } from '../api/useFormSubmit';

export function FormErrorAlert({ error }: { error: FormSubmitError | null }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="form-error"
      title={error.message}
      description={
        error.fields.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 16 }}>
            {error.fields.map((f) => (
              <li key={f.path}>
                {f.path}: {f.message}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
