import { expect } from 'chai';
import { buildKitTemplates, classifyPackForm, kitQuantity, loadItemLogistics, loadKitItems, loadSizeClasses, packContent } from '../../../src/services/catalog/kit.ts';
import { apportion, buildFleet, buildWarehouses, loadNetworkSettings } from '../../../src/services/catalog/network.ts';
import { decodeText } from '../../../src/services/catalog/readers.ts';
import { inMexicoBbox, normaliseName, referenceData } from '../../../src/services/catalog/reference.ts';
import { mapHeaders, MissingColumnsError } from '../../../src/services/catalog/clues-rows.ts';
import { classifyUnit } from '../../../src/services/catalog/tipologia.ts';
import { loadSeedUnits } from '../../../src/services/catalog/seed.ts';
import { loadCatalogContext } from '../../../src/services/catalog/context.ts';

describe('catalogue: tipología → size class', () => {
  it('reads the number of núcleos básicos from the official tipología', () => {
    expect(classifyUnit('URBANO DE 03 NÚCLEOS BÁSICOS')).to.deep.equal({ sizeClass: 'nb-3-5', nucleosBasicos: 3 });
    expect(classifyUnit('RURAL DE 01 NÚCLEO BÁSICO')).to.deep.equal({ sizeClass: 'nb-1', nucleosBasicos: 1 });
    expect(classifyUnit('RURAL DE 02 NÚCLEOS BÁSICOS')).to.deep.equal({ sizeClass: 'nb-2', nucleosBasicos: 2 });
    expect(classifyUnit('URBANO DE 05 NÚCLEOS BÁSICOS')).to.deep.equal({ sizeClass: 'nb-3-5', nucleosBasicos: 5 });
    expect(classifyUnit('URBANO DE 06 NÚCLEOS BÁSICOS')).to.deep.equal({ sizeClass: 'nb-6-12', nucleosBasicos: 6 });
    expect(classifyUnit('URBANO DE 12 NÚCLEOS BÁSICOS Y MÁS')).to.deep.equal({ sizeClass: 'nb-6-12', nucleosBasicos: 12 });
  });

  it('maps the other first-level tipologías and hospitals to their classes', () => {
    expect(classifyUnit('UNIDAD MÓVIL').sizeClass).to.equal('movil');
    expect(classifyUnit('UNIDAD DE ESPECIALIDADES MÉDICAS (UNEMES)').sizeClass).to.equal('uneme');
    expect(classifyUnit('CENTROS AVANZADOS DE ATENCIÓN PRIMARIA A LA SALUD (CAAPS)').sizeClass).to.equal('caaps');
    expect(classifyUnit('CENTROS DE SALUD CON SERVICIOS AMPLIADOS').sizeClass).to.equal('cessa');
    expect(classifyUnit('CENTRO DE SALUD CON HOSPITALIZACIÓN').sizeClass).to.equal('clinica');
    expect(classifyUnit('CLÍNICA DE ESPECIALIDADES').sizeClass).to.equal('clinica');
    expect(classifyUnit('hospital', 'hospital', 2).sizeClass).to.equal('hospital');
    expect(classifyUnit('', '3-5 NUCLEOS').sizeClass).to.equal('nb-3-5');
  });

  it('classifies every unit of the shipped catalogue, with the catalogue grouping agreeing on núcleos', () => {
    const { catalog, hospitals } = loadSeedUnits(loadCatalogContext());
    expect(catalog).to.have.length(9460);
    expect(hospitals).to.have.length(154);
    const counts: Record<string, number> = {};
    for (const unit of catalog) counts[unit.sizeClass] = (counts[unit.sizeClass] ?? 0) + 1;
    expect(counts).to.deep.equal({ 'nb-1': 5163, 'nb-2': 1444, 'nb-3-5': 927, 'nb-6-12': 406, movil: 804, uneme: 359, caaps: 162, cessa: 141, clinica: 54 });
    expect(hospitals.every((h) => h.sizeClass === 'hospital' && h.level >= 2)).to.equal(true);
  });
});

describe('catalogue: reference data', () => {
  const reference = referenceData();

  it('has the 23 IMSS-Bienestar states, each with a region', () => {
    expect(reference.imbStates.size).to.equal(23);
    for (const state of reference.imbStates.values()) expect(state.region, state.name).to.be.a('string');
    expect(reference.imbStates.get('09')!.region).to.equal('Centro');
    expect(reference.imbStates.get('30')!.region).to.equal('Noreste');
    expect(reference.statesByCode.get('14')!.region).to.equal(undefined);
  });

  it('finds states and municipalities by code or by name, accents and case ignored', () => {
    expect(reference.findState('13')?.name).to.equal('Hidalgo');
    expect(reference.findState('7')?.code).to.equal('07');
    expect(reference.findState('VERACRUZ')?.code).to.equal('30');
    expect(reference.findState('MICHOACAN')?.code).to.equal('16');
    expect(reference.findState('NARNIA')).to.equal(undefined);
    expect(reference.findMunicipality('13', '1')?.name).to.equal('Acatlán');
    expect(reference.findMunicipality('13', 'ACATLAN')?.code).to.equal('001');
    expect(reference.findMunicipality('20', 'HEROICA CIUDAD DE JUCHITAN DE ZARAGOZA')?.code).to.equal('043');
    expect(reference.findMunicipality('13', '999')).to.equal(undefined);
  });

  it('tells points inside a state from points outside it (with the border tolerance)', () => {
    expect(reference.pointInState('13', 20.144656, -98.440023)).to.equal(true);
    expect(reference.pointInState('13', 17.0732, -96.7266)).to.equal(false);
    expect(reference.pointInState('23', 20.5, -86.95)).to.equal(true);
    expect(reference.polygonIndexInState('23', 20.5, -86.95)).to.be.greaterThan(0);
    expect(inMexicoBbox(40.7128, -74.006)).to.equal(false);
    expect(normaliseName('  Ñuu  Savi ')).to.equal('NUU SAVI');
  });

  it('places every shipped unit inside its own state', () => {
    const { catalog, hospitals } = loadSeedUnits(loadCatalogContext());
    const outside = [...catalog, ...hospitals].filter((u) => !reference.pointInState(u.state.code, u.lat, u.lng)).map((u) => u.clues);
    expect(outside).to.deep.equal([]);
  });
});

describe('catalogue: kit assumptions', () => {
  const items = loadKitItems();
  const logistics = loadItemLogistics();
  const sizeClasses = loadSizeClasses();

  it('has 147 items, each with logistics assumptions', () => {
    expect(items).to.have.length(147);
    expect(new Set(items.map((i) => i.code)).size).to.equal(147);
    for (const item of items) expect(logistics.get(item.code), item.code).to.include.keys('weightKg', 'volumeM3', 'basePieces30d');
  });

  it('classifies pack forms from name and presentation', () => {
    expect(classifyPackForm('Paracetamol tableta 500 mg', 'ENVASE CON 10 TABLETAS')).to.equal('oral-solid');
    expect(classifyPackForm('Cloruro de sodio solución inyectable 0.9%', 'ENVASE CON 1000 ML')).to.equal('iv-solution');
    expect(classifyPackForm('Metamizol sódico solución inyectable 1 g/2 ml', 'ENVASE CON 3 AMPOLLETAS CON 2 ML')).to.equal('injectable');
    expect(classifyPackForm('Ibuprofeno suspensión oral 40 mg/ml', 'ENVASE CON 15 ML')).to.equal('oral-liquid-small');
    expect(classifyPackForm('Subsalicilato de bismuto suspensión oral', 'ENVASE CON 240 ML')).to.equal('oral-liquid-large');
    expect(packContent('ENVASE CON 120 ML ( 250 MG / 5 ML )')).to.equal(120);
  });

  it('rounds kit quantities up to whole pieces, never below one', () => {
    expect(kitQuantity(10, 0.5)).to.equal(5);
    expect(kitQuantity(3, 0.5)).to.equal(2);
    expect(kitQuantity(1, 0.5)).to.equal(1);
    expect(kitQuantity(3, 1.5)).to.equal(5);
    expect(kitQuantity(4, 15)).to.equal(60);
  });

  it('builds one 147-line template per size class, scaled by its multiplier', () => {
    const templates = buildKitTemplates(items, logistics, sizeClasses);
    expect(templates.map((t) => t.sizeClass)).to.deep.equal(['movil', 'nb-1', 'nb-2', 'nb-3-5', 'nb-6-12', 'uneme', 'cessa', 'caaps', 'clinica', 'hospital']);
    for (const template of templates) {
      expect(template.lines).to.have.length(147);
      expect(template.lines.every((l) => Number.isInteger(l.quantity) && l.quantity >= 1)).to.equal(true);
    }
    const nb1 = templates.find((t) => t.sizeClass === 'nb-1')!;
    const nb35 = templates.find((t) => t.sizeClass === 'nb-3-5')!;
    const paracetamol = (t: typeof nb1) => t.lines.find((l) => l.itemCode === '010.000.0104.00')!.quantity;
    expect(paracetamol(nb1)).to.equal(logistics.get('010.000.0104.00')!.basePieces30d);
    expect(paracetamol(nb35)).to.equal(logistics.get('010.000.0104.00')!.basePieces30d * sizeClasses.get('nb-3-5')!.kitMultiplier);
    // Cross-check with the public ratio of ≈ 1,430–1,900 pieces per kit (data/kit/kit-assumptions.md).
    expect(nb1.totalPieces).to.be.within(800, 1300);
  });
});

describe('catalogue: warehouses and fleet', () => {
  const settings = loadNetworkSettings();
  const reference = referenceData();

  it('builds the CEFEDIS hub and one warehouse per state at its capital', () => {
    const warehouses = buildWarehouses(reference, settings);
    expect(warehouses).to.have.length(24);
    expect(warehouses[0]).to.include({ id: 'CEFEDIS', kind: 'national-hub', lat: 19.8342, lng: -99.2033 });
    const chiapas = warehouses.find((w) => w.id === 'ALM-07')!;
    expect(chiapas).to.include({ kind: 'state-warehouse', lat: 16.7528, lng: -93.1167 });
  });

  it('apportions by largest remainder with a minimum each, deterministically', () => {
    const result = apportion(10, [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
      { key: 'c', weight: 8 },
    ], 1);
    expect([...result.entries()]).to.deep.equal([['a', 2], ['b', 2], ['c', 6]]);
    expect(() => apportion(2, [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }, { key: 'c', weight: 1 }], 1)).to.throw();
  });

  it('splits the published fleet over the states by workload, at least one of each per state', () => {
    const workload = new Map([...reference.imbStates.keys()].map((code, i) => [code, 1000 + i * 100]));
    const fleet = buildFleet(workload, new Set(['23']), settings);
    const count = (type: string) => fleet.filter((v) => v.type === type).length;
    expect([count('3.5t-truck'), count('1.5t-van'), count('refrigerated'), count('boat')]).to.deep.equal([96, 38, 27, 2]);
    for (const code of reference.imbStates.keys()) {
      const home = `ALM-${code}`;
      expect(fleet.some((v) => v.homeWarehouseId === home && v.type === '3.5t-truck'), code).to.equal(true);
      expect(fleet.some((v) => v.homeWarehouseId === home && v.type === 'refrigerated'), code).to.equal(true);
    }
    expect(fleet.filter((v) => v.name.includes('caja sanitaria'))).to.have.length(35);
    expect(new Set(fleet.map((v) => v.id)).size).to.equal(fleet.length);
  });
});

describe('catalogue: file decoding and headers', () => {
  it('decodes UTF-8 and falls back to Windows-1252', () => {
    expect(decodeText(Buffer.from('\uFEFFCLUES,NOMBRE\nA,ACATLÁN\n', 'utf8'))).to.deep.equal({ text: 'CLUES,NOMBRE\nA,ACATLÁN\n', encoding: 'utf-8' });
    expect(decodeText(Buffer.from([0x41, 0x43, 0x41, 0x54, 0x4c, 0xc1, 0x4e]))).to.deep.equal({ text: 'ACATLÁN', encoding: 'windows-1252' });
  });

  it('maps official DGIS headers and names the missing required columns', () => {
    const map = mapHeaders(['CLUES', 'CLAVE DE LA INSTITUCION', 'CLAVE DE LA ENTIDAD', 'ENTIDAD', 'MUNICIPIO', 'NOMBRE DE LA UNIDAD', 'LATITUD', 'LONGITUD', 'NOMBRE DE TIPOLOGIA']);
    expect(map).to.include({ clues: 'CLUES', institutionCode: 'CLAVE DE LA INSTITUCION', stateCode: 'CLAVE DE LA ENTIDAD', municipalityName: 'MUNICIPIO', lat: 'LATITUD', tipologia: 'NOMBRE DE TIPOLOGIA' });
    expect(() => mapHeaders(['CLUES', 'ENTIDAD'])).to.throw(MissingColumnsError, /NOMBRE DE LA UNIDAD.*MUNICIPIO/);
  });
});
