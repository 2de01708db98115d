/**
 * The State Geo-Cadastre's classifiers, as far as the emulated parcels use them. Land categories
 * follow the Land Code (art. 19), intended uses the КВЦПЗ classifier; the ownership-form codes are
 * those of the public cadastre map; the restriction codes are plausible (unverified).
 */

export interface CodeName {
  code: string;
  name: string;
}

export const CATEGORY = {
  agricultural: { code: '001', name: 'Землі сільськогосподарського призначення' },
  residential: { code: '002', name: 'Землі житлової та громадської забудови' },
} satisfies Record<string, CodeName>;

export const PURPOSE = {
  farming: { code: '01.01', name: 'Для ведення товарного сільськогосподарського виробництва' },
  garden: { code: '01.05', name: 'Для індивідуального садівництва' },
  homestead: {
    code: '02.01',
    name: 'Для будівництва і обслуговування житлового будинку, господарських будівель і споруд (присадибна ділянка)',
  },
  garage: { code: '02.05', name: 'Для будівництва індивідуальних гаражів' },
  commercial: { code: '03.07', name: 'Для будівництва та обслуговування будівель торгівлі' },
} satisfies Record<string, CodeName>;

export const OWNERSHIP = {
  private: { code: '100', name: 'Приватна власність' },
  state: { code: '200', name: 'Державна власність' },
  communal: { code: '300', name: 'Комунальна власність' },
} satisfies Record<string, CodeName>;

/** Kinds of real rights: `1` ownership, `2` lease (a right of use). */
export const RIGHT = {
  ownership: { code: '1', name: 'Право власності' },
  lease: { code: '2', name: 'Право оренди земельної ділянки' },
} satisfies Record<string, CodeName>;

export const RESTRICTIONS: readonly CodeName[] = [
  { code: '01.05', name: "Охоронна зона навколо (вздовж) об'єкта енергетичної системи" },
  { code: '01.03', name: "Охоронна зона навколо (вздовж) об'єкта зв'язку" },
  { code: '01.08', name: 'Прибережна захисна смуга вздовж річок, навколо водойм та на островах' },
];

export const CITY_KOATUU = '1211000000';
/** A rural council of the Kryvyi Rih district, for field shares outside the city (unverified code). */
export const RURAL_KOATUU = '1222083600';
export const RURAL_ADDRESS = 'Дніпропетровська обл., Криворізький р-н, Лозуватська сільська рада, за межами населених пунктів';

export const CITY_COUNCIL = 'Криворізька міська рада';
export const GARDEN_SOCIETIES = ['Металург', 'Мрія', 'Рудокоп', 'Весна', 'Садівник', 'Калина'];
export const INDUSTRIAL_ZONES = ['Південна', 'Північна', 'Заводська'];
export const GARAGE_COOPERATIVES = ['Південний', 'Автолюбитель', 'Мотор', 'Гірник'];
export const STATE_ACT_SERIES = ['ЯЯ', 'ЯД', 'ЯИ', 'ЯЕ'];
export const NOTARIES = ['Петренко Л. В.', 'Кравченко О. М.', 'Бойко Н. С.', 'Мельник Т. І.'];

export const REGISTRARS = {
  city: 'Державний кадастровий реєстратор Відділу у м. Кривому Розі Головного управління Держгеокадастру у Дніпропетровській області Левченко Ірина Миколаївна',
  rural: 'Державний кадастровий реєстратор Відділу у Криворізькому районі Головного управління Держгеокадастру у Дніпропетровській області Руденко Олег Васильович',
};
