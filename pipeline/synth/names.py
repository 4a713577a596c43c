"""Hand-made given and family names of many origins, for synthetic people."""

from __future__ import annotations

from typing import Final

# Each origin maps to (given names, family names). The lists are invented for
# this project, not taken from a name dataset, so detection scored on them is
# not scored against the dictionary a detector might ship.
_LISTS: Final[dict[str, tuple[str, str]]] = {
    "anglo": (
        """
        James, Mary, Robert, Jennifer, Michael, Linda, David, Susan, Thomas,
        Karen, Brian, Megan, Kevin, Ashley, Grace, Hope, June, Rose, Will,
        Dorothy, Harold, Evelyn
        """,
        """
        Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson,
        Taylor, Anderson, Thompson, White, Harris, Young, King, Price, Lane,
        Whitfield, Pemberton, Ashby
        """,
    ),
    "hispanic": (
        """
        Maria, José, Guadalupe, Alejandro, Sofia, Carmen, Luis, Ximena,
        Santiago, Valentina, Mateo, Lucía, Rosario, Javier, Itzel, Rafael,
        Marisol, Joaquín
        """,
        """
        Garcia, Rodriguez, Hernandez, Martinez, Lopez, Gonzalez, Ramírez,
        Flores, Castillo, Vargas, Mendoza, Delgado, Ortega, de la Cruz,
        Ibáñez, Villarreal, Peña
        """,
    ),
    "vietnamese": (
        """
        Minh, Linh, Thanh, Huong, Duc, Anh, Phuong, Quang, Trang, Khoa, Ngoc,
        Bao, Thuy, Hieu, Lan, Tuan
        """,
        """
        Nguyen, Tran, Le, Pham, Hoang, Vu, Dang, Bui, Do, Ngo, Duong, Ly,
        Nguyễn, Trương
        """,
    ),
    "chinese": (
        """
        Wei, Li, Xiaoming, Mei, Jun, Yan, Hao, Jing, Lei, Xin, Yutong,
        Zhiwei, Fang, Qiang, Shu, Ying
        """,
        """
        Wang, Zhang, Liu, Chen, Huang, Zhao, Zhou, Wu, Xu, Sun, Ma, Guo, Lin,
        He, Gao, Luo
        """,
    ),
    "korean": (
        """
        Min-jun, Seo-yeon, Ji-woo, Hyun-woo, Ji-hoon, Soo-ah, Dong-hyun,
        Eun-ji, Sung-min, Ha-eun, Joon, Yuna
        """,
        """
        Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim, Han, Shin,
        Seo
        """,
    ),
    "indian": (
        """
        Priya, Arjun, Ananya, Rohan, Lakshmi, Vikram, Deepa, Sanjay, Kavya,
        Aarav, Meenakshi, Rajesh, Sunita, Ishaan, Divya, Harpreet
        """,
        """
        Patel, Sharma, Iyer, Reddy, Venkataraman, Chatterjee, Gupta, Nair,
        Desai, Bhattacharya, Singh, Kulkarni, Rao, Menon, Subramanian
        """,
    ),
    "nigerian": (
        """
        Chukwuemeka, Adaeze, Oluwaseun, Ngozi, Tunde, Chiamaka, Emeka,
        Folake, Ifeanyi, Yetunde, Babajide, Nkechi
        """,
        """
        Okafor, Adeyemi, Okonkwo, Balogun, Eze, Nwosu, Obi, Adebayo,
        Ogunleye, Onyekachi, Afolabi, Chukwu
        """,
    ),
    "arabic": (
        """
        Mohammed, Fatima, Omar, Layla, Yusuf, Aisha, Khalid, Noor, Hassan,
        Mariam, Tariq, Samira, Ibrahim, Rania
        """,
        """
        Al-Sayed, Haddad, Khalil, Nasser, Mansour, Abdullah, Al-Rashid,
        el-Amin, Farouk, Hamdan, Saleh, Al-Hashimi
        """,
    ),
    "slavic": (
        """
        Dmitri, Olga, Svetlana, Ivan, Natalia, Sergei, Yulia, Oleksandr,
        Tatiana, Mikhail, Anastasia, Bogdan
        """,
        """
        Ivanova, Petrov, Kovalenko, Shevchenko, Smirnov, Volkova, Kuznetsov,
        Bondarenko, Popescu, Horvat, Novák, Dvořák
        """,
    ),
    "polish": (
        """
        Katarzyna, Wojciech, Agnieszka, Łukasz, Małgorzata, Krzysztof, Zofia,
        Tomasz, Grzegorz, Ewa, Jadwiga
        """,
        """
        Kowalski, Nowak, Wiśniewska, Lewandowski, Zieliński, Wójcik,
        Kamińska, Szymański, Woźniak, Dąbrowski, Krawczyk
        """,
    ),
    "irish": (
        """
        Siobhan, Aoife, Padraig, Niamh, Cian, Saoirse, Eoin, Sinead, Ciaran,
        Orla, Declan, Roisin
        """,
        """
        O'Brien, O'Connor, O'Sullivan, Murphy, McCarthy, Fitzgerald, O'Neill,
        Gallagher, Byrne, Ó Súilleabháin, MacNamara, O'Donoghue
        """,
    ),
    "dutch": (
        """
        Pieter, Annelies, Joost, Maarten, Femke, Sanne, Bram, Lieke, Daan,
        Marloes, Thijs, Wouter
        """,
        """
        van der Berg, de Vries, van Dijk, Bakker, Jansen, van den Heuvel,
        Visser, de Jong, van Leeuwen, Dekker, ter Horst, van der Meer
        """,
    ),
    "german": (
        """
        Lukas, Anja, Matthias, Birgit, Jürgen, Heike, Florian, Ursula,
        Stefan, Greta
        """,
        """
        Müller, Schmidt, Schneider, Fischer, Weber, Becker, Hoffmann,
        Schäfer, Koch, Richter, von Bülow
        """,
    ),
    "japanese": (
        """
        Haruto, Yui, Sota, Aoi, Takeshi, Yuki, Kenji, Sakura, Hiroshi, Emi
        """,
        """
        Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura,
        Kobayashi, Matsumoto
        """,
    ),
    "filipino": (
        """
        Maricel, Jericho, Rowena, Arnel, Lorna, Rodel, Jocelyn, Ferdinand,
        Analyn, Ramil
        """,
        """
        Dela Cruz, Santos, Reyes, Bautista, Aquino, Mendiola, Villanueva,
        Manalo, Pangilinan, Macaraeg
        """,
    ),
    "ethiopian": (
        """
        Abebe, Tigist, Dawit, Meseret, Yohannes, Selam, Bereket, Hiwot,
        Tesfaye, Rahel
        """,
        """
        Tadesse, Bekele, Gebremedhin, Haile, Alemu, Wolde, Kebede, Girma,
        Tesfaye, Mengistu
        """,
    ),
    "greek_italian": (
        """
        Giuseppe, Francesca, Alessandro, Chiara, Giorgos, Eleni,
        Konstantinos, Dimitra, Salvatore, Paola
        """,
        """
        Rossi, Russo, Esposito, Bianchi, Papadopoulos, Georgiou, Karagiannis,
        Lo Bianco, D'Angelo, Di Stefano
        """,
    ),
    "haitian_caribbean": (
        """
        Jean-Baptiste, Marie-Claire, Wilner, Fabiola, Ricardo, Nadège,
        Kervens, Shanice, Delroy, Marlene
        """,
        """
        Pierre, Joseph, Louis, Toussaint, Baptiste, Charles, Campbell,
        Thompson-Reid, Saint-Fleur, Beauvais
        """,
    ),
    "african_american": (
        """
        DeShawn, Latoya, Jamal, Keisha, Tyrone, Imani, Darnell, Aaliyah,
        Malik, Tanisha, Jalen, Ebony
        """,
        """
        Washington, Jefferson, Booker, Banks, Freeman, Gaines, Mosley,
        Dorsey, Battle, Coleman
        """,
    ),
}


def _split(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split(",") if name.strip())


ORIGINS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    origin: (_split(given), _split(family))
    for origin, (given, family) in _LISTS.items()
}
"""Origin name -> (given names, family names)."""

FAMILY_FIRST: Final[frozenset[str]] = frozenset({"vietnamese", "chinese", "korean"})
"""Origins whose names are often written family name first in source systems."""

VIETNAMESE_MIDDLE: Final[tuple[str, ...]] = ("Van", "Thi", "Duc", "Minh", "Ngoc")

TITLES: Final[tuple[str, ...]] = ("Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Mx.")
