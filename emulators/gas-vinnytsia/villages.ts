import type { Rng } from '../population/index.js';

/**
 * Where the distributor's customers from the population have their second home: a house or a
 * dacha in a Vinnytsia-oblast village. Synthetic: real-sounding villages and districts, made-up
 * streets and house numbers.
 */

const VILLAGES = [
  { village: 'с. Якушинці', district: 'Вінницький р-н', postcode: '23222' },
  { village: 'с. Агрономічне', district: 'Вінницький р-н', postcode: '23227' },
  { village: 'с. Лука-Мелешківська', district: 'Вінницький р-н', postcode: '23223' },
  { village: 'с. Писарівка', district: 'Вінницький р-н', postcode: '23212' },
  { village: 'с. Вінницькі Хутори', district: 'Вінницький р-н', postcode: '23219' },
  { village: 'с. Сокиринці', district: 'Хмільницький р-н', postcode: '22050' },
  { village: 'с. Широка Гребля', district: 'Хмільницький р-н', postcode: '22054' },
  { village: 'с. Кордишівка', district: 'Жмеринський р-н', postcode: '23142' },
  { village: 'с. Буша', district: 'Могилів-Подільський р-н', postcode: '24440' },
  { village: 'с. Кирнасівка', district: 'Тульчинський р-н', postcode: '23630' },
] as const;

// One street with the typographic apostrophe (’), which windows-1251 has and a careless export loses.
const STREETS = ['вул. Садова', 'вул. Шевченка', 'вул. Центральна', 'вул. Лісова', 'вул. Польова', 'вул. Вишнева', 'вул. Миру', 'вул. Набережна', 'вул. Солов’їна', 'пров. Зелений'];

export function villageAddress(rng: Rng): string {
  const { village, district, postcode } = rng.pick(VILLAGES);
  return `${postcode}, Вінницька обл., ${district}, ${village}, ${rng.pick(STREETS)}, буд. ${rng.int(1, 140)}`;
}
