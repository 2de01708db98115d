import { extractDigits, printedDate, textDocument, type ExtractDocument } from '../kit/x-road.js';
import type { Citizen } from '../population/index.js';
import { serviceCentreName } from './catalogue.js';
import type { MvsRecord } from './records.js';

export interface MvsExtract {
  extractNumber: string;
  issuedAt: string;
  registrar: string;
  content: string;
  document: ExtractDocument;
}

/** A registration extract for a vehicle, issued by the centre of its latest operation. */
export function registrationExtract(record: MvsRecord, owner: Citizen, now: Date): MvsExtract {
  const issuedAt = now.toISOString();
  const extractNumber = `ТЗ-${extractDigits(record.VIN, issuedAt.slice(0, 10))}`;
  const registrar = serviceCentreName(record.DEP_CODE);
  const content = [
    'ВИТЯГ З ЄДИНОГО ДЕРЖАВНОГО РЕЄСТРУ ТРАНСПОРТНИХ ЗАСОБІВ',
    `Номер витягу: ${extractNumber}`,
    `Дата формування: ${printedDate(issuedAt)}`,
    `VIN: ${record.VIN}`,
    `Марка, модель: ${record.BRAND} ${record.MODEL}`,
    `Рік випуску: ${record.MAKE_YEAR}`,
    `Колір: ${record.COLOR}`,
    `Тип: ${record.KIND}; кузов: ${record.BODY}; призначення: ${record.PURPOSE}`,
    `Паливо: ${record.FUEL}; об'єм двигуна: ${record.CAPACITY === null ? 'не визначено' : `${record.CAPACITY} см³`}`,
    `Власна маса: ${record.OWN_WEIGHT} кг; повна маса: ${record.TOTAL_WEIGHT} кг`,
    `Номерний знак: ${record.N_REG_NEW}`,
    `Свідоцтво про реєстрацію: ${record.SVID_SERIES} ${record.SVID_NUM}; дата першої реєстрації: ${record.D_FIRST_REG}`,
    `Остання операція: ${record.OPER_NAME}; дата: ${record.D_REG}; ${record.DEP}`,
    `Власник: ${record.PERSON === 'P' ? 'фізична особа' : 'юридична особа'} ${owner.lastName} ${owner.firstName} ${owner.patronymic}`,
    `Витяг сформував: ${registrar}`,
    '',
  ].join('\n');
  return { extractNumber, issuedAt, registrar, content, document: textDocument(content, `mvs-extract-${record.VIN}.txt`) };
}
