/** INEGI state codes and names (data/geo states.csv); `imb` = served by IMSS-Bienestar. */
export const STATES: { code: string; name: string; imb: boolean }[] = [
  { code: '01', name: 'Aguascalientes', imb: false },
  { code: '02', name: 'Baja California', imb: true },
  { code: '03', name: 'Baja California Sur', imb: true },
  { code: '04', name: 'Campeche', imb: true },
  { code: '05', name: 'Coahuila de Zaragoza', imb: false },
  { code: '06', name: 'Colima', imb: true },
  { code: '07', name: 'Chiapas', imb: true },
  { code: '08', name: 'Chihuahua', imb: false },
  { code: '09', name: 'Ciudad de México', imb: true },
  { code: '10', name: 'Durango', imb: false },
  { code: '11', name: 'Guanajuato', imb: false },
  { code: '12', name: 'Guerrero', imb: true },
  { code: '13', name: 'Hidalgo', imb: true },
  { code: '14', name: 'Jalisco', imb: false },
  { code: '15', name: 'México', imb: true },
  { code: '16', name: 'Michoacán de Ocampo', imb: true },
  { code: '17', name: 'Morelos', imb: true },
  { code: '18', name: 'Nayarit', imb: true },
  { code: '19', name: 'Nuevo León', imb: false },
  { code: '20', name: 'Oaxaca', imb: true },
  { code: '21', name: 'Puebla', imb: true },
  { code: '22', name: 'Querétaro', imb: false },
  { code: '23', name: 'Quintana Roo', imb: true },
  { code: '24', name: 'San Luis Potosí', imb: true },
  { code: '25', name: 'Sinaloa', imb: true },
  { code: '26', name: 'Sonora', imb: true },
  { code: '27', name: 'Tabasco', imb: true },
  { code: '28', name: 'Tamaulipas', imb: true },
  { code: '29', name: 'Tlaxcala', imb: true },
  { code: '30', name: 'Veracruz de Ignacio de la Llave', imb: true },
  { code: '31', name: 'Yucatán', imb: false },
  { code: '32', name: 'Zacatecas', imb: true },
];

export function stateName(code: string | undefined): string {
  return STATES.find((s) => s.code === code)?.name ?? code ?? '';
}
