/** What the API's error codes (domain/errors.ts) mean to a person at the desk, in plain Ukrainian. */
import type { AnswerError } from './api.js';

/** Why a partner's data is missing: `partner` is its name when the error names one. */
export function explainError(error: AnswerError, partnerName: (id: string) => string): string {
  const id = error.extensions?.partner;
  const who = id ? partnerName(id) : 'Партнер';
  switch (error.extensions?.code) {
    case 'PARTNER_UNAVAILABLE': return `${who} не відповідає, спробуйте пізніше.`;
    case 'PARTNER_TIMEOUT': return `${who} не відповів вчасно, спробуйте пізніше.`;
    case 'PARTNER_BAD_RESPONSE': return `${who} надіслав відповідь, яку не вдалося прочитати. Спробуйте пізніше.`;
    case 'RATE_LIMITED': return `${who} тимчасово обмежує кількість запитів, спробуйте за хвилину.`;
    case 'FORBIDDEN': return 'Немає доступу: ваш обліковий запис не має дозволу на перегляд цього розділу.';
    case 'UNAUTHENTICATED': return 'Сеанс завершився. Увійдіть знову.';
    case 'NOT_FOUND': return 'Даних не знайдено.';
    case 'BAD_USER_INPUT': return `Запит відхилено: ${error.message}`;
    case 'TRAIL_UNAVAILABLE': return 'Журнал звернень зараз недоступний, спробуйте пізніше.';
    default: return 'Не вдалося отримати дані, спробуйте пізніше.';
  }
}

export const FRESHNESS_LABEL = { LIVE: 'наживо', CACHED: 'кешовано', STALE: 'застаріле' } as const;
