import { t } from './i18n';

/** "Use my location" for a visit form, with the accuracy once located; the form keeps the coordinates. */
export function LocateButton({
  testId,
  location,
  onLocated,
  onError,
}: {
  testId: string;
  location: GeolocationCoordinates | null;
  onLocated: (coords: GeolocationCoordinates) => void;
  onError: (message: string) => void;
}) {
  return (
    <p>
      <button
        type="button"
        data-testid={testId}
        onClick={() =>
          navigator.geolocation.getCurrentPosition(
            (p) => onLocated(p.coords),
            () => onError(t('visit.noLocation')),
            { enableHighAccuracy: true, timeout: 15_000 },
          )
        }
      >
        {t('visit.locate')}
      </button>
      {location && (
        <span className="ok" data-testid={`${testId}d`}>
          {' '}
          {t('visit.located', { m: Math.round(location.accuracy) })}
        </span>
      )}
    </p>
  );
}

/** The coordinates a visit sends, when the worker located it. */
export function visitLocation(location: GeolocationCoordinates | null) {
  return location
    ? { location: { latitude: location.latitude, longitude: location.longitude, accuracy: location.accuracy } }
    : {};
}
