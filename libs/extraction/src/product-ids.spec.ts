import { cleanSku, idFromUrl, labelledId } from './product-ids';

describe('labelledId', () => {
  it.each([
    ['SKU: 6644753', '6644753'],
    ['Item #: T9F432251', 'T9F432251'],
    ['Art.-Nr. 4711-02', '4711-02'],
    ['Artikelnummer: 100234', '100234'],
    ['Артикул: AB-1234', 'AB-1234'],
    ['Código do Produto: 111359833', '111359833'],
    ['Réf. : 88123', '88123'],
    ['CBD Stock No: WW600150'.replace('CBD ', ''), 'WW600150'],
    ['Ref #: 0642', '0642'],
    ['商品番号：AB123', 'AB123'],
    ['Product Code: 776029700046', '776029700046'],
    ['Cod produs: DRB0K2MBM', 'DRB0K2MBM'],
  ])('reads %s', (text, id) => {
    expect(labelledId(text)?.id).toBe(id);
  });

  it('recognises a bare label whose id follows in the next text', () => {
    expect(labelledId('SKU:')).toEqual({ label: true });
    expect(labelledId('Artikelnummer')).toEqual({ label: true });
  });

  it('ignores prose and values without digits', () => {
    expect(labelledId('Reference guide for beginners')).toBeNull();
    expect(labelledId('SKU: none')).toBeNull();
    expect(labelledId('Codice sconto valido fino al 12 maggio')).toBeNull();
  });
});

describe('cleanSku', () => {
  it('drops a label left inside a structured value', () => {
    expect(cleanSku('sku:XA30202')).toBe('XA30202');
    expect(cleanSku('Art.-Nr. 12345')).toBe('12345');
    expect(cleanSku('CR2-BLK-42')).toBe('CR2-BLK-42');
  });
});

describe('idFromUrl', () => {
  it.each([
    ['https://www.amazon.de/Ubiquiti-UniFi-Switch/dp/B084BZSZ5X', 'B084BZSZ5X'],
    ['https://www.ebay.com/p/1701411334', '1701411334'],
    ['https://www.etsy.com/es/listing/550571276/el-original-he', '550571276'],
    ['https://www.bestbuy.com/site/anker-power/6644753.p?skuId=6644753', '6644753'],
    ['https://shop.example.de/en/Shimano/SM-RT800-Rotor-p58034/', '58034'],
    ['https://www.retrosixty.co.uk/lighting/0642.html', '0642'],
    ['https://shop.example.com/products/shoe?variant=40123456789', '40123456789'],
    ['https://jlcpcb.com/partdetail/Stmicroelectronics-STM32F407VGT6/C12345', 'C12345'],
  ])('finds the id in %s', (url, id) => {
    expect(idFromUrl(url)).toBe(id);
  });

  it('finds nothing in a URL of words', () => {
    expect(idFromUrl('https://shop.example.com/products/happy-coffee-bio-bohnen')).toBeUndefined();
    expect(idFromUrl('not a url')).toBeUndefined();
  });
});
