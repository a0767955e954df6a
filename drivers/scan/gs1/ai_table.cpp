#include "drivers/scan/gs1/ai_table.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace prm::scan::gs1 {
namespace {

// One row per AI or range of AIs. Notation (the GS1 table's own):
//   flags:  '?' permitted as a Digital Link data attribute, 'K' Digital Link primary key
//   format: components separated by spaces; N/X/Y/Z + "14" (fixed) or "..20" (up to);
//           "[...]" optional; ",name" content rules (see kLintNames)
//   req:    groups separated by spaces, alternatives by ',', AIs needed together by '+'
//   ex:     AIs or patterns (n = any digit) that must not appear with this one
//   dl:     key qualifier orders, alternatives separated by '|'
// Whether an AI has a predefined length is not a column: it follows from its first two
// digits (has_predefined_length), as GenSpecs 7.8.5 defines it.
struct Row {
  const char* ais;
  const char* flags;
  const char* format;
  const char* req;
  const char* ex;
  const char* dl;
  const char* title;
};

// clang-format off
constexpr Row kRows[] = {
  {"00",   "?K", "N18,csum,keyoff1",        "",                        "",        "",          "SSCC"},
  {"01",   "?K", "N14,csum,keyoff1",        "",                        "255,37",  "22,10,21|235", "GTIN"},
  {"02",   "?",  "N14,csum,keyoff1",        "37",                      "01,03",   "",          "CONTENT"},
  {"03",   "",   "N14,csum,keyoff1",        "",                        "01,02,37", "",         "MTO GTIN"},
  {"10",   "?",  "X..20",                   "01,02,03,8006,8026",      "",        "",          "BATCH/LOT"},
  {"11",   "?",  "N6,yymmd0",               "01,02,03,8006,8026",      "",        "",          "PROD DATE"},
  {"12",   "?",  "N6,yymmd0",               "8020",                    "",        "",          "DUE DATE"},
  {"13",   "?",  "N6,yymmd0",               "01,02,03,8006,8026",      "",        "",          "PACK DATE"},
  {"15",   "?",  "N6,yymmd0",               "01,02,03,8006,8026",      "",        "",          "BEST BEFORE or BEST BY"},
  {"16",   "?",  "N6,yymmd0",               "01,02,03,8006,8026",      "",        "",          "SELL BY"},
  {"17",   "?",  "N6,yymmd0",               "01,02,03,255,8006,8026",  "",        "",          "USE BY or EXPIRY"},
  {"20",   "?",  "N2",                      "01,02,8006,8026",         "",        "",          "VARIANT"},
  {"21",   "",   "X..20",                   "01,03,8006",              "235",     "",          "SERIAL"},
  {"22",   "",   "X..20",                   "01",                      "",        "",          "CPV"},
  {"235",  "",   "X..28",                   "01",                      "",        "",          "TPX"},
  {"240",  "?",  "X..30",                   "01,02,8006,8026",         "",        "",          "ADDITIONAL ID"},
  {"241",  "?",  "X..30",                   "01,02,8006,8026",         "",        "",          "CUST. PART No."},
  {"242",  "?",  "N..6",                    "01,02,8006,8026",         "",        "",          "MTO VARIANT"},
  {"243",  "?",  "X..20",                   "01",                      "",        "",          "PCN"},
  {"250",  "?",  "X..30",                   "01,8006 21",              "",        "",          "SECONDARY SERIAL"},
  {"251",  "?",  "X..30",                   "01,8006",                 "",        "",          "REF. TO SOURCE"},
  {"253",  "?K", "N13,csum,key [X..17]",    "",                        "",        "",          "GDTI"},
  {"254",  "",   "X..20",                   "414",                     "",        "",          "GLN EXTENSION COMPONENT"},
  {"255",  "?K", "N13,csum,key [N..12]",    "",     "01,02,415,8006,8020,8026",   "",          "GCN"},
  {"30",   "?",  "N..8",                    "01,02",                   "",        "",          "VAR. COUNT"},
  // 3100-3695: see kMeasures
  {"37",   "?",  "N..8",                    "00 02,8026",              "",        "",          "COUNT"},
  {"3900-3909", "?", "N..15",               "255,8020",    "390n,391n,394n,8111", "",          "AMOUNT"},
  {"3910-3919", "?", "N3,iso4217 N..15",    "8020",                    "391n",    "",          "AMOUNT"},
  {"3920-3929", "?", "N..15",               "01 30,31nn,32nn,35nn,36nn", "392n,393n", "",      "PRICE"},
  {"3930-3939", "?", "N3,iso4217 N..15",    "30,31nn,32nn,35nn,36nn",  "393n",    "",          "PRICE"},
  {"3940-3943", "?", "N4",                  "255",                     "394n,8111", "",        "PRCNT OFF"},
  {"3950-3955", "?", "N6",                  "30,31nn,32nn,35nn,36nn",  "392n,393n,395n,8005", "", "PRICE/UoM"},
  {"400",  "?",  "X..30",                   "",                        "",        "",          "ORDER NUMBER"},
  {"401",  "?K", "X..30,key",               "",                        "",        "",          "GINC"},
  {"402",  "?K", "N17,csum,key",            "",                        "",        "",          "GSIN"},
  {"403",  "?",  "X..30",                   "00",                      "",        "",          "ROUTE"},
  {"410",  "?",  "N13,csum,key",            "",                        "",        "",          "SHIP TO LOC"},
  {"411",  "?",  "N13,csum,key",            "",                        "",        "",          "BILL TO"},
  {"412",  "?",  "N13,csum,key",            "",                        "",        "",          "PURCHASE FROM"},
  {"413",  "?",  "N13,csum,key",            "",                        "",        "",          "SHIP FOR LOC"},
  {"414",  "?K", "N13,csum,key",            "",                        "",        "254|7040",  "LOC No."},
  {"415",  "?K", "N13,csum,key",            "8020",                    "",        "8020",      "PAY TO"},
  {"416",  "?",  "N13,csum,key",            "",                        "",        "",          "PROD/SERV LOC"},
  {"417",  "?K", "N13,csum,key",            "",                        "",        "7040",      "PARTY"},
  {"420",  "?",  "X..20",                   "",                        "421",     "",          "SHIP TO POST"},
  {"421",  "?",  "N3,iso3166 X..9",         "",                        "4307",    "",          "SHIP TO POST"},
  {"422",  "?",  "N3,iso3166",              "01,02,8006,8026",         "426",     "",          "ORIGIN"},
  {"423",  "?",  "N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166", "01,02", "426", "", "COUNTRY - INITIAL PROCESS"},
  {"424",  "?",  "N3,iso3166",              "01,02",                   "426",     "",          "COUNTRY - PROCESS"},
  {"425",  "?",  "N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166", "01,02", "426", "", "COUNTRY - DISASSEMBLY"},
  {"426",  "?",  "N3,iso3166",              "01,02",                   "",        "",          "COUNTRY - FULL PROCESS"},
  {"427",  "?",  "X..3",                    "01,02 422",               "",        "",          "ORIGIN SUBDIVISION"},
  {"4300", "?",  "X..35,pcenc",             "00",                      "",        "",          "SHIP TO COMP"},
  {"4301", "?",  "X..35,pcenc",             "00",                      "",        "",          "SHIP TO NAME"},
  {"4302", "?",  "X..70,pcenc",             "00",                      "",        "",          "SHIP TO ADD1"},
  {"4303", "?",  "X..70,pcenc",             "4302",                    "",        "",          "SHIP TO ADD2"},
  {"4304", "?",  "X..70,pcenc",             "00",                      "",        "",          "SHIP TO SUB"},
  {"4305", "?",  "X..70,pcenc",             "00",                      "",        "",          "SHIP TO LOC"},
  {"4306", "?",  "X..70,pcenc",             "00",                      "",        "",          "SHIP TO REG"},
  {"4307", "?",  "X2,iso3166alpha2",        "00",                      "",        "",          "SHIP TO COUNTRY"},
  {"4308", "?",  "X..30",                   "00",                      "",        "",          "SHIP TO PHONE"},
  {"4309", "?",  "N10,latitude N10,longitude", "00",                   "",        "",          "SHIP TO GEO"},
  {"4310", "?",  "X..35,pcenc",             "00",                      "",        "",          "RTN TO COMP"},
  {"4311", "?",  "X..35,pcenc",             "00",                      "",        "",          "RTN TO NAME"},
  {"4312", "?",  "X..70,pcenc",             "00",                      "",        "",          "RTN TO ADD1"},
  {"4313", "?",  "X..70,pcenc",             "4312",                    "",        "",          "RTN TO ADD2"},
  {"4314", "?",  "X..70,pcenc",             "00",                      "",        "",          "RTN TO SUB"},
  {"4315", "?",  "X..70,pcenc",             "00",                      "",        "",          "RTN TO LOC"},
  {"4316", "?",  "X..70,pcenc",             "00",                      "",        "",          "RTN TO REG"},
  {"4317", "?",  "X2,iso3166alpha2",        "00",                      "",        "",          "RTN TO COUNTRY"},
  {"4318", "?",  "X..20",                   "00",                      "",        "",          "RTN TO POST"},
  {"4319", "?",  "X..30",                   "00",                      "",        "",          "RTN TO PHONE"},
  {"4320", "?",  "X..35,pcenc",             "00",                      "",        "",          "SRV DESCRIPTION"},
  {"4321", "?",  "N1,yesno",                "00",                      "",        "",          "DANGEROUS GOODS"},
  {"4322", "?",  "N1,yesno",                "00",                      "",        "",          "AUTH TO LEAVE"},
  {"4323", "?",  "N1,yesno",                "00",                      "",        "",          "SIG REQUIRED"},
  {"4324", "?",  "N6,yymmd0 N4,hhmi",       "00",                      "",        "",          "NOT BEF DEL DT"},
  {"4325", "?",  "N6,yymmd0 N4,hhmi",       "00",                      "",        "",          "NOT AFT DEL DT"},
  {"4326", "?",  "N6,yymmdd",               "00",                      "",        "",          "REL DATE"},
  {"4330", "?",  "N6 [X1],hyphen",          "00",                      "4331",    "",          "MAX TEMP F."},
  {"4331", "?",  "N6 [X1],hyphen",          "00",                      "4330",    "",          "MAX TEMP C."},
  {"4332", "?",  "N6 [X1],hyphen",          "00",                      "4333",    "",          "MIN TEMP F."},
  {"4333", "?",  "N6 [X1],hyphen",          "00",                      "4332",    "",          "MIN TEMP C."},
  {"7001", "?",  "N13",                     "01,02,8006,8026",         "",        "",          "NSN"},
  {"7002", "?",  "X..30",                   "01,02",                   "",        "",          "MEAT CUT"},
  {"7003", "?",  "N6,yymmdd N4,hhmi",       "01,02",                   "",        "",          "EXPIRY TIME"},
  {"7004", "?",  "N..4",                    "01 10",                   "",        "",          "ACTIVE POTENCY"},
  {"7005", "?",  "X..12",                   "01,02",                   "",        "",          "CATCH AREA"},
  {"7006", "?",  "N6,yymmdd",               "01,02",                   "",        "",          "FIRST FREEZE DATE"},
  {"7007", "?",  "N6,yymmdd [N6],yymmdd",   "01,02",                   "",        "",          "HARVEST DATE"},
  {"7008", "?",  "X..3",                    "01,02",                   "",        "",          "AQUATIC SPECIES"},
  {"7009", "?",  "X..10",                   "01,02",                   "",        "",          "FISHING GEAR TYPE"},
  {"7010", "?",  "X..2",                    "01,02",                   "",        "",          "PROD METHOD"},
  {"7011", "?",  "N6,yymmdd [N4],hhmi",     "01,02",                   "",        "",          "TEST BY DATE"},
  {"7020", "?",  "X..20",                   "01,8006 416",             "",        "",          "REFURB LOT"},
  {"7021", "?",  "X..20",                   "01,8006",                 "",        "",          "FUNC STAT"},
  {"7022", "?",  "X..20",                   "7021",                    "",        "",          "REV STAT"},
  {"7023", "?",  "X..30,key",               "",                        "",        "",          "GIAI - ASSEMBLY"},
  {"7030", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 0"},
  {"7031", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 1"},
  {"7032", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 2"},
  {"7033", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 3"},
  {"7034", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 4"},
  {"7035", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 5"},
  {"7036", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 6"},
  {"7037", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 7"},
  {"7038", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 8"},
  {"7039", "?",  "N3,iso3166999 X..27",     "01,02",                   "",        "",          "PROCESSOR # 9"},
  {"7040", "",   "N1 X1 X1 X1,importeridx", "",                        "",        "",          "UIC+EXT"},
  {"7041", "",   "X..4,packagetype",        "00",                      "",        "",          "UFRGT UNIT TYPE"},
  {"710",  "?",  "X..20",                   "01",                      "",        "",          "NHRN PZN"},
  {"711",  "?",  "X..20",                   "01",                      "",        "",          "NHRN CIP"},
  {"712",  "?",  "X..20",                   "01",                      "",        "",          "NHRN CN"},
  {"713",  "?",  "X..20",                   "01",                      "",        "",          "NHRN DRN"},
  {"714",  "?",  "X..20",                   "01",                      "",        "",          "NHRN AIM"},
  {"715",  "?",  "X..20",                   "01",                      "",        "",          "NHRN NDC"},
  {"716",  "?",  "X..20",                   "01",                      "",        "",          "NHRN AIC"},
  {"7230", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 1"},
  {"7231", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 2"},
  {"7232", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 3"},
  {"7233", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 4"},
  {"7234", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 5"},
  {"7235", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 6"},
  {"7236", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 7"},
  {"7237", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 8"},
  {"7238", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 9"},
  {"7239", "?",  "X2 X..28",                "01,8004",                 "",        "",          "CERT # 10"},
  {"7240", "?",  "X..20",                   "01,8006",                 "",        "",          "PROTOCOL"},
  {"7241", "?",  "N2,mediatype",            "8017,8018",               "",        "",          "AIDC MEDIA TYPE"},
  {"7242", "?",  "X..25",                   "8017,8018",               "",        "",          "VCN"},
  {"7250", "?",  "N8,yyyymmdd",             "8018",                    "7251",    "",          "DOB"},
  {"7251", "?",  "N8,yyyymmdd N4,hhmi",     "8018",                    "7250",    "",          "DOB TIME"},
  {"7252", "?",  "N1,iso5218",              "8018",                    "",        "",          "BIO SEX"},
  {"7253", "?",  "X..40,pcenc",             "8017,8018",               "7256,7259", "",        "FAMILY NAME"},
  {"7254", "?",  "X..40,pcenc",             "8017,8018",               "7256,7259", "",        "GIVEN NAME"},
  {"7255", "?",  "X..10",                   "8017,8018",               "7256,7259", "",        "SUFFIX"},
  {"7256", "?",  "X..90,pcenc",             "8017,8018",               "",        "",          "FULL NAME"},
  {"7257", "?",  "X..70,pcenc",             "8018",                    "",        "",          "PERSON ADDR"},
  {"7258", "?",  "X3,posinseqslash",        "8018+7259",               "",        "",          "BIRTH SEQUENCE"},
  {"7259", "?",  "X..40,pcenc",             "8018",                    "7256",    "",          "BABY"},
  {"8001", "?",  "N4,nonzero N5,nonzero N3,nonzero N1,winding N1", "01", "",      "",          "DIMENSIONS"},
  {"8002", "?",  "X..20",                   "",                        "",        "",          "CMT No."},
  {"8003", "?K", "N1,zero N13,csum,key [X..16]", "",                   "",        "",          "GRAI"},
  {"8004", "?K", "X..30,key",               "",                        "",        "7040",      "GIAI"},
  {"8005", "?",  "N6",                      "01,02",                   "",        "",          "PRICE PER UNIT"},
  {"8006", "?K", "N14,csum,keyoff1 N4,pieceoftotal", "",               "01,37",   "22,10,21",  "ITIP"},
  {"8007", "?",  "X..34,iban",              "415",                     "",        "",          "IBAN"},
  {"8008", "?",  "N6,yymmdd N2,hh [N2],mi [N2],ss", "01,02",           "",        "",          "PROD TIME"},
  {"8009", "?",  "X..50",                   "00,01",                   "",        "",          "OPTSEN"},
  {"8010", "?K", "Y..30,key",               "",                        "",        "8011",      "CPID"},
  {"8011", "",   "N..12,nozeroprefix",      "8010",                    "",        "",          "CPID SERIAL"},
  {"8012", "?",  "X..20",                   "01,8006",                 "",        "",          "VERSION"},
  {"8013", "?K", "X..25,csumalpha,key",     "",                        "",        "",          "GMN"},
  {"8014", "",   "X..25,csumalpha,key,hasnondigit", "01",              "",        "",          "MUDI"},
  {"8017", "?K", "N18,csum,key",            "",                        "8018",    "8019",      "GSRN - PROVIDER"},
  {"8018", "?K", "N18,csum,key",            "",                        "8017",    "8019",      "GSRN - RECIPIENT"},
  {"8019", "",   "N..10",                   "8017,8018",               "",        "",          "SRIN"},
  {"8020", "",   "X..25",                   "415",                     "",        "",          "REF No."},
  {"8026", "?",  "N14,csum,keyoff1 N4,pieceoftotal", "37",             "02,8006", "",          "ITIP CONTENT"},
  {"8030", "?",  "Z..90", "00,01+21,253,255,8003,8004,8006+21,8010+8011,8017,8018", "", "",    "DIGSIG"},
  {"8110", "?",  "X..70,couponcode",        "",                        "",        "",          "COUPON CODE (North America)"},
  {"8111", "?",  "N4",                      "255",                     "",        "",          "POINTS"},
  {"8112", "?",  "X..70,couponposoffer",    "",                        "",        "",          "PAPERLESS COUPON CODE (North America)"},
  {"8200", "",   "X..70",                   "01",                      "",        "",          "PRODUCT URL"},
  {"90",   "?",  "X..30",                   "",                        "",        "",          "INTERNAL"},
  {"91-99", "?", "X..90",                   "",                        "",        "",          "INTERNAL"},
};

// The measure AIs 3100-3695: six AIs each (last digit = decimal places), N6, excluding the
// other decimal positions of the same measure. Trade measures need 01 or 02, logistic
// measures 00 or 01.
struct MeasureRow {
  const char* prefix;
  const char* req;
  const char* title;
};
constexpr MeasureRow kMeasures[] = {
  {"310", "01,02", "NET WEIGHT (kg)"},   {"311", "01,02", "LENGTH (m)"},
  {"312", "01,02", "WIDTH (m)"},         {"313", "01,02", "HEIGHT (m)"},
  {"314", "01,02", "AREA (m²)"},         {"315", "01,02", "NET VOLUME (l)"},
  {"316", "01,02", "NET VOLUME (m³)"},   {"320", "01,02", "NET WEIGHT (lb)"},
  {"321", "01,02", "LENGTH (in)"},       {"322", "01,02", "LENGTH (ft)"},
  {"323", "01,02", "LENGTH (yd)"},       {"324", "01,02", "WIDTH (in)"},
  {"325", "01,02", "WIDTH (ft)"},        {"326", "01,02", "WIDTH (yd)"},
  {"327", "01,02", "HEIGHT (in)"},       {"328", "01,02", "HEIGHT (ft)"},
  {"329", "01,02", "HEIGHT (yd)"},       {"330", "00,01", "GROSS WEIGHT (kg)"},
  {"331", "00,01", "LENGTH (m), log"},   {"332", "00,01", "WIDTH (m), log"},
  {"333", "00,01", "HEIGHT (m), log"},   {"334", "00,01", "AREA (m²), log"},
  {"335", "00,01", "VOLUME (l), log"},   {"336", "00,01", "VOLUME (m³), log"},
  {"337", "01",    "KG PER m²"},         {"340", "00,01", "GROSS WEIGHT (lb)"},
  {"341", "00,01", "LENGTH (in), log"},  {"342", "00,01", "LENGTH (ft), log"},
  {"343", "00,01", "LENGTH (yd), log"},  {"344", "00,01", "WIDTH (in), log"},
  {"345", "00,01", "WIDTH (ft), log"},   {"346", "00,01", "WIDTH (yd), log"},
  {"347", "00,01", "HEIGHT (in), log"},  {"348", "00,01", "HEIGHT (ft), log"},
  {"349", "00,01", "HEIGHT (yd), log"},  {"350", "01,02", "AREA (in²)"},
  {"351", "01,02", "AREA (ft²)"},        {"352", "01,02", "AREA (yd²)"},
  {"353", "00,01", "AREA (in²), log"},   {"354", "00,01", "AREA (ft²), log"},
  {"355", "00,01", "AREA (yd²), log"},   {"356", "01,02", "NET WEIGHT (t oz)"},
  {"357", "01,02", "NET VOLUME (oz)"},   {"360", "01,02", "NET VOLUME (qt)"},
  {"361", "01,02", "NET VOLUME (gal.)"}, {"362", "00,01", "VOLUME (qt), log"},
  {"363", "00,01", "VOLUME (gal.), log"}, {"364", "01,02", "VOLUME (in³)"},
  {"365", "01,02", "VOLUME (ft³)"},      {"366", "01,02", "VOLUME (yd³)"},
  {"367", "00,01", "VOLUME (in³), log"}, {"368", "00,01", "VOLUME (ft³), log"},
  {"369", "00,01", "VOLUME (yd³), log"},
};
// clang-format on

struct LintName {
  std::string_view name;
  Lint lint;
};
constexpr LintName kLintNames[] = {
    {"csum", Lint::check_digit},
    {"csumalpha", Lint::check_pair},
    {"key", Lint::company_prefix},
    {"keyoff1", Lint::company_prefix_1},
    {"yymmd0", Lint::date_yymmd0},
    {"yymmdd", Lint::date_yymmdd},
    {"yyyymmdd", Lint::date_yyyymmdd},
    {"hhmi", Lint::time_hhmi},
    {"hh", Lint::hour},
    {"mi", Lint::minute},
    {"ss", Lint::second},
    {"nonzero", Lint::nonzero},
    {"zero", Lint::zero},
    {"winding", Lint::winding},
    {"pieceoftotal", Lint::piece_of_total},
    {"yesno", Lint::yes_no},
    {"hyphen", Lint::hyphen},
    {"latitude", Lint::latitude},
    {"longitude", Lint::longitude},
    {"pcenc", Lint::percent_encoded},
    {"nozeroprefix", Lint::no_zero_prefix},
    {"mediatype", Lint::media_type},
    {"importeridx", Lint::importer_index},
    {"iso5218", Lint::iso5218},
    {"posinseqslash", Lint::position_in_seq},
    {"hasnondigit", Lint::has_non_digit},
    {"iban", Lint::iban},
    {"iso3166", Lint::country_numeric},
    {"iso3166999", Lint::country_or_999},
    {"iso3166alpha2", Lint::country_alpha2},
    {"iso4217", Lint::currency_numeric},
    {"packagetype", Lint::package_type},
    {"couponcode", Lint::coupon},
    {"couponposoffer", Lint::coupon},
};

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    auto pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

[[noreturn]] void bad_row(std::string_view ai, std::string_view what) {
  throw std::logic_error("GS1 AI table, AI " + std::string(ai) + ": " + std::string(what));
}

int parse_int(std::string_view text, std::string_view ai) {
  if (text.empty() || text.size() > 3) bad_row(ai, "bad length in format");
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') bad_row(ai, "bad length in format");
    value = value * 10 + (c - '0');
  }
  return value;
}

Component parse_component(std::string_view text, std::string_view ai) {
  Component comp;
  if (text.size() > 1 && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) bad_row(ai, "unclosed '['");
    comp.optional = true;
    // "[N6],yymmdd": the rules follow the bracket.
    std::string rest(text.substr(1, close - 1));
    rest += text.substr(close + 1);
    Component inner = parse_component(rest, ai);
    inner.optional = true;
    return inner;
  }
  auto parts = split(text, ',');
  std::string_view type = parts.at(0);
  if (type.size() < 2) bad_row(ai, "bad component");
  switch (type[0]) {
    case 'N':
      comp.charset = Charset::numeric;
      break;
    case 'X':
      comp.charset = Charset::cset82;
      break;
    case 'Y':
      comp.charset = Charset::cset39;
      break;
    case 'Z':
      comp.charset = Charset::cset64;
      break;
    default:
      bad_row(ai, "bad character set");
  }
  std::string_view length = type.substr(1);
  if (length.substr(0, 2) == "..") {
    comp.min_length = 1;
    comp.max_length = parse_int(length.substr(2), ai);
  } else {
    comp.min_length = comp.max_length = parse_int(length, ai);
  }
  for (std::size_t i = 1; i < parts.size(); ++i) {
    auto it = std::find_if(std::begin(kLintNames), std::end(kLintNames),
                           [&](const LintName& l) { return l.name == parts[i]; });
    if (it == std::end(kLintNames)) bad_row(ai, "unknown rule " + std::string(parts[i]));
    comp.lints.push_back(it->lint);
  }
  return comp;
}

std::vector<std::vector<std::vector<std::string>>> parse_requires(std::string_view text) {
  std::vector<std::vector<std::vector<std::string>>> groups;
  for (auto group : split(text, ' ')) {
    if (group.empty()) continue;
    auto& alternatives = groups.emplace_back();
    for (auto alt : split(group, ',')) {
      auto& all = alternatives.emplace_back();
      for (auto ai : split(alt, '+')) all.emplace_back(ai);
    }
  }
  return groups;
}

AiSpec make_spec(std::string ai, const Row& row) {
  AiSpec spec;
  spec.ai = std::move(ai);
  spec.title = row.title;
  std::string_view flags = row.flags;
  spec.dl_data_attribute = flags.find('?') != std::string_view::npos;
  spec.dl_primary_key = flags.find('K') != std::string_view::npos;
  bool seen_optional = false;
  for (auto text : split(row.format, ' ')) {
    if (text.empty()) continue;
    Component comp = parse_component(text, spec.ai);
    if (seen_optional && !comp.optional) bad_row(spec.ai, "mandatory after optional");
    seen_optional = seen_optional || comp.optional;
    if (!comp.optional) spec.min_length += comp.min_length;
    spec.max_length += comp.max_length;
    spec.components.push_back(std::move(comp));
  }
  if (spec.components.empty()) bad_row(spec.ai, "no format");
  for (std::size_t i = 0; i + 1 < spec.components.size(); ++i)
    if (spec.components[i].min_length != spec.components[i].max_length)
      bad_row(spec.ai, "only the last component may have variable length");
  spec.requires_groups = parse_requires(row.req);
  for (auto ex : split(row.ex, ',')) spec.excludes.emplace_back(ex);
  for (auto order : split(row.dl, '|')) {
    auto& seq = spec.dl_qualifier_orders.emplace_back();
    for (auto ai : split(order, ',')) seq.emplace_back(ai);
  }
  if (!spec.dl_qualifier_orders.empty() && !spec.dl_primary_key)
    bad_row(spec.ai, "qualifiers on a non-key");
  spec.predefined_length = has_predefined_length(spec.ai);
  const std::string_view two = std::string_view(spec.ai).substr(0, 2);
  if (spec.ai.size() == 4 && (two == "31" || two == "32" || two == "33" || two == "34" ||
                              two == "35" || two == "36" || two == "39"))
    spec.decimals = spec.ai[3] - '0';
  return spec;
}

std::vector<std::string> expand(std::string_view ais) {
  auto dash = ais.find('-');
  if (dash == std::string_view::npos) return {std::string(ais)};
  std::string first(ais.substr(0, dash));
  std::string last(ais.substr(dash + 1));
  if (first.size() != last.size()) bad_row(ais, "bad range");
  std::vector<std::string> out;
  const int from = std::stoi(first);
  const int to = std::stoi(last);
  for (int n = from; n <= to; ++n) {
    std::string ai = std::to_string(n);
    ai.insert(0, first.size() - ai.size(), '0');
    out.push_back(std::move(ai));
  }
  return out;
}

std::map<std::string, AiSpec, std::less<>> build_table() {
  std::map<std::string, AiSpec, std::less<>> table;
  auto add = [&](AiSpec spec) {
    std::string key = spec.ai;
    if (!table.emplace(key, std::move(spec)).second) bad_row(key, "listed twice");
  };
  for (const Row& row : kRows)
    for (auto& ai : expand(row.ais)) add(make_spec(ai, row));
  for (const MeasureRow& m : kMeasures) {
    const std::string range = std::string(m.prefix) + "0-" + m.prefix + "5";
    const std::string ex = std::string(m.prefix) + "n";
    const Row row{"", "?", "N6", m.req, ex.c_str(), "", m.title};
    for (auto& ai : expand(range)) add(make_spec(ai, row));
  }
  // The AIs must be prefix-free for ai_at_start to be unambiguous.
  for (auto& [ai, spec] : table)
    for (std::size_t len = 2; len < ai.size(); ++len)
      if (table.count(ai.substr(0, len))) bad_row(ai, "has another AI as prefix");
  return table;
}

const std::map<std::string, AiSpec, std::less<>>& table_map() {
  static const auto table = build_table();
  return table;
}

}  // namespace

const std::vector<AiSpec>& ai_table() {
  static const std::vector<AiSpec> list = [] {
    std::vector<AiSpec> out;
    for (auto& [ai, spec] : table_map()) out.push_back(spec);
    return out;
  }();
  return list;
}

const AiSpec* find_ai(std::string_view ai) {
  const auto& table = table_map();
  auto it = table.find(ai);
  return it == table.end() ? nullptr : &it->second;
}

const AiSpec* ai_at_start(std::string_view data) {
  for (std::size_t len = 2; len <= 4 && len <= data.size(); ++len)
    if (const AiSpec* spec = find_ai(data.substr(0, len))) return spec;
  return nullptr;
}

bool has_predefined_length(std::string_view ai) {
  // GenSpecs Figure 7.8.5-2 "Element strings with predefined length using GS1 Application
  // Identifiers" (04 and 14, 18, 19 are reserved there but keep the rule).
  static constexpr std::string_view kPrefixes[] = {"00", "01", "02", "03", "04", "11", "12", "13",
                                                   "14", "15", "16", "17", "18", "19", "20", "31",
                                                   "32", "33", "34", "35", "36", "41"};
  if (ai.size() < 2) return false;
  auto two = ai.substr(0, 2);
  return std::find(std::begin(kPrefixes), std::end(kPrefixes), two) != std::end(kPrefixes);
}

bool ai_matches_pattern(std::string_view ai, std::string_view pattern) {
  if (ai.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < ai.size(); ++i)
    if (pattern[i] != 'n' && pattern[i] != ai[i]) return false;
  return true;
}

const char* to_string(Charset charset) {
  switch (charset) {
    case Charset::numeric:
      return "numeric";
    case Charset::cset82:
      return "GS1 AI encodable character set 82";
    case Charset::cset39:
      return "GS1 AI encodable character set 39";
    case Charset::cset64:
      return "GS1 AI encodable character set 64 (base64url)";
  }
  return "?";
}

}  // namespace prm::scan::gs1
