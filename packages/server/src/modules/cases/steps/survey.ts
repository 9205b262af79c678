import { chinaToday, type FieldError, type SurveyBody } from '@jiuzhu/shared';
import { Invalid } from '../../../errors';
import { decodePhotos, type Photo } from '../../../photos';
import type { CaseRow } from '../case-data';
import type { StepsOf } from './step';

function checkSurvey(body: SurveyBody, c: CaseRow, today: string): Photo[] {
  const fields: FieldError[] = [];
  if (body.surveyedOn > today) fields.push({ path: 'surveyedOn', message: 'case.surveyInFuture' });
  else if (body.surveyedOn < chinaToday(c.created_at))
    fields.push({ path: 'surveyedOn', message: 'case.surveyBeforeApplication' });
  const names = body.staff.map((s) => s.trim());
  names.forEach((s, i) => {
    if (names.indexOf(s) !== i) fields.push({ path: `staff.${i}`, message: 'case.staffTwice' });
  });
  const photos = decodePhotos(
    body.photos,
    'photos',
    { type: 'case.photoType', tooLarge: 'case.photoTooLarge' },
    fields,
  );
  if (fields.length > 0) throw Invalid(fields);
  return photos;
}

/** The home survey (入户调查): findings, figures and photos. */
export const surveySteps: StepsOf<'record_survey'> = () => {
  return {
    record_survey: (b) => ({
      from: ['accepted'],
      run: async ({ c, today }) => {
        const photos = checkSurvey(b, c, today);
        return {
          to: 'verifying',
          data: { surveyedOn: b.surveyedOn, staff: b.staff, photos: photos.length, located: b.location !== null },
          enc: {
            findings: b.findings,
            otherIncomeFen: b.otherIncomeFen,
            medicalCostsFen: b.medicalCostsFen,
            unmetAdl: b.unmetAdl,
            location: b.location,
          },
          after: async (trx, actionId) => {
            if (photos.length > 0)
              await trx
                .insertInto('case_photos')
                .values(
                  photos.map((p, i) => ({
                    action_id: actionId,
                    n: i + 1,
                    content_type: p.contentType,
                    size_bytes: p.bytes.length,
                    data: p.bytes,
                  })),
                )
                .execute();
          },
        };
      },
    }),
  };
};
