import { useRef } from 'react';
import type { FormInstance } from 'antd';
import type { CaseDetail } from '@jiuzhu/shared';
import type { FieldMapper } from '../../../api/errors';
import { useFormSubmit } from '../../../api/useFormSubmit';
import { casesApi, newIdempotencyKey, type StepAction } from '../api';

/** What a step form calls with the case as the server returned it after the action. */
export type OnActed = (detail: CaseDetail, action: StepAction) => void;

/**
 * Posts one step action from a form: field errors onto the form, anything else (the wrong
 * step, someone else acted first) into `error`. The idempotency key lives as long as the
 * form's content, so a resend after a lost answer is recognised.
 */
export function useStepAction(
  form: FormInstance,
  fields: readonly string[] | FieldMapper,
  caseId: string,
  action: StepAction,
  onActed: OnActed,
) {
  const { run, submitting, error } = useFormSubmit(form, fields);
  const key = useRef(newIdempotencyKey());
  async function submit(body: unknown): Promise<void> {
    let result: CaseDetail | undefined;
    const ok = await run(async () => {
      result = await casesApi.act(caseId, action, body, key.current);
    });
    if (ok && result) {
      key.current = newIdempotencyKey();
      form.resetFields();
      onActed(result, action);
    }
  }
  return { submit, submitting, error };
}
